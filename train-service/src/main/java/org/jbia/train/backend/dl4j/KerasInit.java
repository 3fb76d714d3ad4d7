package org.jbia.train.backend.dl4j;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Keras' weight initialisers under pyBIA's names, reproduced exactly (DL4J's own LECUN_UNIFORM, for
 * one, uses a different bound). Values come from a generator seeded by ND4J's random source, which
 * DL4J seeds from the network seed, so the same seed gives the same weights.
 */
public final class KerasInit implements IWeightInit {
    /** Keras' TruncatedNormal default standard deviation (pyBIA's default dense initialiser). */
    static final double TRUNCATED_NORMAL_STD = 0.05;
    /** Standard deviation of a unit normal truncated at ±2: Keras divides by it for variance scaling. */
    static final double TRUNCATION_CORRECTION = 0.87962566103423978;

    @JsonProperty("name")
    private String name;

    private KerasInit() {
    }

    public KerasInit(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        SplittableRandom random = new SplittableRandom(Nd4j.getRandom().nextLong());
        int n = Math.toIntExact(paramView.length());
        float[] values = new float[n];
        double fanAvg = (fanIn + fanOut) / 2;
        switch (name) {
            case "uniform_scaling", "lecun_uniform" -> uniform(values, Math.sqrt(3 / fanIn), random);
            case "he_uniform" -> uniform(values, Math.sqrt(6 / fanIn), random);
            case "glorot_uniform" -> uniform(values, Math.sqrt(3 / fanAvg), random);
            case "TruncatedNormal" -> truncatedNormal(values, TRUNCATED_NORMAL_STD, random);
            case "he_normal" -> truncatedNormal(values, Math.sqrt(2 / fanIn) / TRUNCATION_CORRECTION, random);
            case "lecun_normal" -> truncatedNormal(values, Math.sqrt(1 / fanIn) / TRUNCATION_CORRECTION, random);
            case "glorot_normal" -> truncatedNormal(values, Math.sqrt(1 / fanAvg) / TRUNCATION_CORRECTION, random);
            default -> throw new IllegalArgumentException("initialiser '" + name + "' is not known");
        }
        paramView.assign(Nd4j.createFromArray(values).reshape(paramView.shape()));
        return paramView.reshape(order, shape);
    }

    private static void uniform(float[] out, double limit, SplittableRandom random) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
    }

    /** Normal(0, std) redrawn beyond two standard deviations, as tf.random.truncated_normal. */
    private static void truncatedNormal(float[] out, double std, SplittableRandom random) {
        for (int i = 0; i < out.length; i++) {
            double z;
            do {
                z = gaussian(random);
            } while (Math.abs(z) > 2);
            out[i] = (float) (z * std);
        }
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; one value per call keeps the stream simple and reproducible
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasInit k && k.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
