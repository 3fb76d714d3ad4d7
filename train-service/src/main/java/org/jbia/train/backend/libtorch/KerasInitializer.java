package org.jbia.train.backend.libtorch;

import java.util.SplittableRandom;
import org.jbia.train.model.KerasInitializers;

/**
 * Keras' weight initialisers under pyBIA's names, with Keras' fans (a convolution's fan-in is
 * kernel² × input channels, its fan-out kernel² × filters), from {@link KerasInitializers}; values come
 * from a generator the model seeds, so the same seed gives the same weights.
 */
final class KerasInitializer {
    private KerasInitializer() {
    }

    static float[] values(String name, double fanIn, double fanOut, int count, SplittableRandom random) {
        // Java 17's ziggurat nextGaussian: several times faster than Box-Muller
        return KerasInitializers.values(name, fanIn, fanOut, count, random, SplittableRandom::nextGaussian);
    }
}
