package org.jbia.train.model;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Keras' weight initialisers under pyBIA's names, with Keras' fans (a convolution's fan-in is
 * kernel² × input channels, its fan-out kernel² × filters): the one formula both backends fill their
 * weights with. Each backend keeps its own unit-normal draw, so that a seed keeps giving the weights it
 * gave before.
 */
public final class KerasInitializers {
    /** Keras' TruncatedNormal default standard deviation (pyBIA's default dense initialiser). */
    public static final double TRUNCATED_NORMAL_STD = 0.05;
    /** Standard deviation of a unit normal truncated at ±2: Keras divides by it for variance scaling. */
    public static final double TRUNCATION_CORRECTION = 0.87962566103423978;

    private KerasInitializers() {
    }

    /**
     * {@code count} initial weights.
     *
     * @param gaussian a unit-normal draw from {@code random}
     * @throws IllegalArgumentException for an initialiser name this does not know
     */
    public static float[] values(String name, double fanIn, double fanOut, int count, SplittableRandom random,
                                 ToDoubleFunction<SplittableRandom> gaussian) {
        float[] values = new float[count];
        double fanAvg = (fanIn + fanOut) / 2;
        switch (name) {
            case "uniform_scaling", "lecun_uniform" -> uniform(values, Math.sqrt(3 / fanIn), random);
            case "he_uniform" -> uniform(values, Math.sqrt(6 / fanIn), random);
            case "glorot_uniform" -> uniform(values, Math.sqrt(3 / fanAvg), random);
            case "TruncatedNormal" -> truncatedNormal(values, TRUNCATED_NORMAL_STD, random, gaussian);
            case "he_normal" -> truncatedNormal(values, Math.sqrt(2 / fanIn) / TRUNCATION_CORRECTION, random, gaussian);
            case "lecun_normal" -> truncatedNormal(values, Math.sqrt(1 / fanIn) / TRUNCATION_CORRECTION, random,
                    gaussian);
            case "glorot_normal" -> truncatedNormal(values, Math.sqrt(1 / fanAvg) / TRUNCATION_CORRECTION, random,
                    gaussian);
            default -> throw new IllegalArgumentException("initialiser '" + name + "' is not known");
        }
        return values;
    }

    private static void uniform(float[] out, double limit, SplittableRandom random) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
    }

    /** Normal(0, std) redrawn beyond two standard deviations, as tf.random.truncated_normal. */
    private static void truncatedNormal(float[] out, double std, SplittableRandom random,
                                        ToDoubleFunction<SplittableRandom> gaussian) {
        for (int i = 0; i < out.length; i++) {
            double z;
            do {
                z = gaussian.applyAsDouble(random);
            } while (Math.abs(z) > 2);
            out[i] = (float) (z * std);
        }
    }
}
