package org.jbia.augment.engine;

import java.util.SplittableRandom;

/** Builds one blended image from k distinct images of a set. */
final class Blend {
    private static final BlendFunction[] CONCRETE = {BlendFunction.MEAN, BlendFunction.MAX, BlendFunction.MIN};

    private Blend() {
    }

    /**
     * Writes into {@code dst[dstBase]} the blend of k distinct images of {@code src} (each
     * {@code size} values long, {@code count} of them), k uniform in [2, maxImages].
     */
    static void apply(float[] src, int count, int size, int maxImages, BlendFunction function, float[] dst,
                      int dstBase, SplittableRandom rng) {
        int k = rng.nextInt(2, maxImages + 1);
        int[] chosen = distinct(count, k, rng);
        BlendFunction f = function == BlendFunction.RANDOM ? CONCRETE[rng.nextInt(CONCRETE.length)] : function;
        int first = chosen[0] * size;
        switch (f) {
            case MEAN -> {
                // Summed in double: a mean of floats then stays within the inputs' range exactly.
                for (int p = 0; p < size; p++) {
                    double sum = 0;
                    for (int index : chosen) {
                        sum += src[index * size + p];
                    }
                    dst[dstBase + p] = (float) (sum / k);
                }
            }
            case MAX -> {
                System.arraycopy(src, first, dst, dstBase, size);
                for (int j = 1; j < k; j++) {
                    int b = chosen[j] * size;
                    for (int p = 0; p < size; p++) {
                        dst[dstBase + p] = Math.max(dst[dstBase + p], src[b + p]);
                    }
                }
            }
            default -> {
                System.arraycopy(src, first, dst, dstBase, size);
                for (int j = 1; j < k; j++) {
                    int b = chosen[j] * size;
                    for (int p = 0; p < size; p++) {
                        dst[dstBase + p] = Math.min(dst[dstBase + p], src[b + p]);
                    }
                }
            }
        }
    }

    /** Floyd's sampling: k distinct indices of [0, n) with k draws and no array of size n. */
    static int[] distinct(int n, int k, SplittableRandom rng) {
        int[] chosen = new int[k];
        int filled = 0;
        for (int j = n - k; j < n; j++) {
            int t = rng.nextInt(j + 1);
            int pick = contains(chosen, filled, t) ? j : t;
            chosen[filled++] = pick;
        }
        return chosen;
    }

    private static boolean contains(int[] values, int length, int v) {
        for (int i = 0; i < length; i++) {
            if (values[i] == v) {
                return true;
            }
        }
        return false;
    }
}
