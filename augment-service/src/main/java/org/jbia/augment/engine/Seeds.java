package org.jbia.augment.engine;

import java.util.SplittableRandom;

/**
 * Derives an independent random stream for every (stage, image) from the one recorded seed, so a
 * draw never depends on which thread made it or on what other images drew.
 */
final class Seeds {
    /** The random steps that draw; each gets its own family of streams. */
    enum Stage {
        GEOMETRY(0x6A09E667F3BCC908L), BLEND(0xBB67AE8584CAA73BL), MASK(0x3C6EF372FE94F82BL);

        private final long salt;

        Stage(long salt) {
            this.salt = salt;
        }
    }

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    static SplittableRandom stream(long seed, Stage stage, long index) {
        return new SplittableRandom(mix(mix(seed ^ stage.salt) + index * GOLDEN));
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser: neighbouring inputs give unrelated outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
