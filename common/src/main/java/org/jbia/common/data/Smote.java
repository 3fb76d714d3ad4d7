package org.jbia.common.data;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.Problems;

/**
 * SMOTE over-sampling of the minority class (Chawla et al. 2002) with imbalanced-learn's
 * semantics for a float {@code sampling_strategy}: after resampling, minority / majority =
 * strategy, so {@code int(majority * strategy - minority)} synthetic images are made. Each is
 * {@code x + u * (z - x)}, with x a minority image drawn uniformly, z one of x's
 * {@value #NEIGHBOURS} nearest minority neighbours drawn uniformly (exact Euclidean distance over the
 * flattened H×W×C pixels, ties to the lower index), and u uniform in [0, 1); the result is computed
 * in float64 and rounded to float32, as imbalanced-learn does for float32 input.
 *
 * <p>Hand-written because no maintained Java SMOTE library exists (the JVM options are Weka's
 * SMOTE filter, a Weka package tied to its Instances type, and abandoned one-off ports). pyBIA
 * called imbalanced-learn, then deleted that call while still importing it (spec §4.4, §9 item 1).
 * The random stream is {@link java.util.Random}'s, so the same seed gives the same images on any
 * JVM, but not the images imbalanced-learn would make with the same seed.
 */
public final class Smote {
    /** Neighbours per image, imbalanced-learn's default {@code k_neighbors}. */
    public static final int NEIGHBOURS = 5;

    private Smote() {
    }

    /**
     * @param minority         the smaller class
     * @param majorityCount    images in the larger class
     * @param samplingStrategy the ratio minority / majority after resampling, in (0, 1]
     * @return the minority images followed by the synthetic ones
     * @throws InvalidSpecException naming smote_sampling or the set when SMOTE cannot run
     */
    public static ImageStack oversample(ImageStack minority, int majorityCount, double samplingStrategy, long seed) {
        int n = minority.count();
        Problems p = new Problems();
        if (!(samplingStrategy > 0 && samplingStrategy <= 1)) {
            p.add("smote_sampling", samplingStrategy, "as a ratio minority / majority after resampling it must lie in (0, 1]");
        }
        if (n > majorityCount) {
            p.addMessage("the minority set holds " + n + " images, more than the majority's " + majorityCount
                    + ": pass the smaller class as the minority");
        }
        if (n < NEIGHBOURS + 1) {
            p.addMessage("SMOTE needs at least " + (NEIGHBOURS + 1) + " minority images (" + NEIGHBOURS
                    + " neighbours each); the minority set holds " + n);
        }
        long nonFinite = Normalization.countNonFinite(minority);
        if (nonFinite > 0) {
            p.addMessage("the minority set has " + nonFinite + " non-finite pixels; distances between images would "
                    + "be NaN: normalise first (non-finite pixels become min_pixel)");
        }
        p.throwIfAny("SMOTE");
        int generate = (int) (majorityCount * samplingStrategy - n);
        if (generate < 0) {
            p.add("smote_sampling", samplingStrategy, "the ratio " + n + "/" + majorityCount + " is already above it; "
                    + "SMOTE only adds images, so ask for at least " + ((double) n / majorityCount));
            p.throwIfAny("SMOTE");
        }
        if (generate == 0) {
            return minority;
        }
        int[][] neighbours = nearestNeighbours(minority);
        int size = minority.imageSize();
        float[] in = minority.pixels();
        float[] out = new float[(n + generate) * size];
        System.arraycopy(in, 0, out, 0, n * size);
        Random random = new Random(seed);
        for (int s = 0; s < generate; s++) {
            // One draw over all (image, neighbour) pairs, as imbalanced-learn does.
            int pick = random.nextInt(n * NEIGHBOURS);
            int base = pick / NEIGHBOURS;
            int other = neighbours[base][pick % NEIGHBOURS];
            double step = random.nextDouble();
            int a = base * size;
            int b = other * size;
            int o = (n + s) * size;
            for (int i = 0; i < size; i++) {
                out[o + i] = (float) (in[a + i] + step * ((double) in[b + i] - in[a + i]));
            }
        }
        return new ImageStack(n + generate, minority.height(), minority.width(), minority.bands(), out);
    }

    /** For each image, the indices of its {@value #NEIGHBOURS} nearest others, nearest first. */
    static int[][] nearestNeighbours(ImageStack images) {
        int n = images.count();
        int size = images.imageSize();
        float[] px = images.pixels();
        double[][] distance = new double[n][n];
        // Each row of the upper triangle is independent; parallel pays off for large minority sets.
        IntStream rows = IntStream.range(0, n);
        (n >= 64 ? rows.parallel() : rows).forEach(i -> {
            for (int j = i + 1; j < n; j++) {
                double sum = 0;
                int a = i * size;
                int b = j * size;
                for (int k = 0; k < size; k++) {
                    double d = (double) px[a + k] - px[b + k];
                    sum += d * d;
                }
                distance[i][j] = sum;
                distance[j][i] = sum;
            }
        });
        int[][] nearest = new int[n][];
        for (int i = 0; i < n; i++) {
            double[] row = distance[i];
            int self = i;
            nearest[i] = IntStream.range(0, n).filter(j -> j != self).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(j -> row[j]).thenComparingInt(j -> j))
                    .limit(NEIGHBOURS).mapToInt(Integer::intValue).toArray();
        }
        return nearest;
    }
}
