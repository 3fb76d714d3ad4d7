package org.jbia.optimize.search;

import java.util.random.RandomGenerator;

/**
 * NumPy's legacy {@code RandomState(seed)} for an integer seed, so that jBIA's sampler can be fed
 * the very random numbers Optuna's sampler draws (a replay test, and a paired side-by-side bench):
 * the MT19937 generator seeded by its init_genrand recurrence, and {@code random_sample()} as 53
 * random bits from two 32-bit outputs (the top 27 bits of one, the top 26 of the next).
 *
 * <p>Written here because no Java library seeds MT19937 as NumPy does: Commons RNG's
 * MersenneTwister takes an int[] seed through init_by_array, which gives another stream.
 */
public final class NumpyLegacyRandom implements RandomGenerator {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] state = new int[N];
    private int next = N;

    public NumpyLegacyRandom(long seed) {
        int s = (int) seed;
        for (int i = 0; i < N; i++) {
            state[i] = s;
            s = 1812433253 * (s ^ (s >>> 30)) + i + 1;
        }
    }

    private int next32() {
        if (next == N) {
            for (int k = 0; k < N; k++) {
                int y = (state[k] & 0x80000000) | (state[(k + 1) % N] & 0x7fffffff);
                state[k] = state[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : 0x9908b0df);
            }
            next = 0;
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        return y ^ (y >>> 18);
    }

    @Override
    public double nextDouble() {
        long a = Integer.toUnsignedLong(next32()) >>> 5;
        long b = Integer.toUnsignedLong(next32()) >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    @Override
    public long nextLong() {
        return (Integer.toUnsignedLong(next32()) << 32) | Integer.toUnsignedLong(next32());
    }
}
