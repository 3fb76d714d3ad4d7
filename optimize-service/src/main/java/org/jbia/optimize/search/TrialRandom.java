package org.jbia.optimize.search;

import java.util.SplittableRandom;

/**
 * Random streams derived from (seed, trial number) alone: the draw for a trial does not depend on
 * how many trials this process sampled before, so resumed or parallel studies stay reproducible.
 */
final class TrialRandom {
    private TrialRandom() {
    }

    static SplittableRandom forTrial(long seed, int trialNumber, long salt) {
        return new SplittableRandom(mix(mix(seed ^ salt) + trialNumber));
    }

    /** SplitMix64's finaliser: neighbouring inputs give unrelated seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
