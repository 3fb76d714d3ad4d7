package org.jbia.common.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.jbia.common.array.ImageStack;
import org.jbia.common.array.Npy;
import org.jbia.common.schema.InvalidSpecException;
import org.junit.jupiter.api.Test;

class SmoteTest {

    private static ImageStack lenses() {
        return Npy.read(Path.of(System.getProperty("bia.project.root", "."), "..", "shared", "data", "lenses.npy"));
    }

    private static ImageStack randomImages(int n, int h, int c, long seed) {
        Random r = new Random(seed);
        float[] px = new float[n * h * h * c];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) r.nextGaussian();
        }
        return new ImageStack(n, h, h, c, px);
    }

    @Test
    void countsFollowImbalancedLearnsRatio() {
        ImageStack minority = randomImages(20, 4, 2, 1);
        // after resampling minority / majority = strategy: int(500 * 1.0 - 20) = 480 new images
        assertThat(Smote.oversample(minority, 500, 1.0, 7).count()).isEqualTo(500);
        // int(500 * 0.3 - 20) = 130
        assertThat(Smote.oversample(minority, 500, 0.3, 7).count()).isEqualTo(150);
        // int(77 * 0.5 - 20) = int(18.5) = 18
        assertThat(Smote.oversample(minority, 77, 0.5, 7).count()).isEqualTo(38);
    }

    @Test
    void keepsTheMinorityImagesFirstAndTheSameSeedGivesTheSameImages() {
        ImageStack minority = randomImages(12, 5, 3, 2);
        ImageStack a = Smote.oversample(minority, 60, 1.0, 42);
        assertThat(a.slice(0, 12)).isEqualTo(minority);
        assertThat(Smote.oversample(minority, 60, 1.0, 42)).isEqualTo(a);
        assertThat(Smote.oversample(minority, 60, 1.0, 43)).isNotEqualTo(a);
    }

    @Test
    void syntheticImagesLieOnSegmentsToOneOfTheFiveNearestNeighbours() {
        ImageStack minority = lenses();
        ImageStack out = Smote.oversample(minority, 100, 0.5, 1909);
        assertThat(out.count()).isEqualTo(50);
        int[][] nearest = bruteForceNeighbours(minority);
        int size = minority.imageSize();
        for (int s = minority.count(); s < out.count(); s++) {
            float[] synthetic = Arrays.copyOfRange(out.pixels(), s * size, (s + 1) * size);
            assertThat(onSomeNeighbourSegment(minority, nearest, synthetic))
                    .as("synthetic image %d lies on a segment from a minority image to one of its 5 nearest", s)
                    .isTrue();
        }
    }

    @Test
    void twentyToFiveHundredImagesOfLensSizeTakeWellUnderASecond() {
        ImageStack minority = lenses();
        Smote.oversample(minority, 500, 1.0, 0); // warm-up
        long start = System.nanoTime();
        ImageStack out = Smote.oversample(minority, 500, 1.0, 1);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(out.count()).isEqualTo(500);
        assertThat(millis).as("SMOTE 20 -> 500 of 100x100x3, ms").isLessThan(1000);
    }

    @Test
    void nothingToAddReturnsTheMinorityAsIs() {
        ImageStack minority = randomImages(10, 3, 1, 3);
        assertThat(Smote.oversample(minority, 10, 1.0, 1)).isSameAs(minority);
    }

    @Test
    void refusesStrategiesOutsideTheUnitIntervalOrBelowTheCurrentRatio() {
        ImageStack minority = randomImages(10, 3, 1, 3);
        assertThatThrownBy(() -> Smote.oversample(minority, 20, 1.5, 1)).isInstanceOf(InvalidSpecException.class)
                .hasMessage("invalid SMOTE: smote_sampling = 1.5 is not allowed: as a ratio minority / majority after "
                        + "resampling it must lie in (0, 1]");
        assertThatThrownBy(() -> Smote.oversample(minority, 20, 0.4, 1))
                .hasMessage("invalid SMOTE: smote_sampling = 0.4 is not allowed: the ratio 10/20 is already above it; "
                        + "SMOTE only adds images, so ask for at least 0.5");
    }

    @Test
    void refusesTooFewMinorityImagesAMinorityLargerThanTheMajorityAndNonFinitePixels() {
        assertThatThrownBy(() -> Smote.oversample(randomImages(5, 3, 1, 4), 50, 1.0, 1))
                .hasMessageContaining("SMOTE needs at least 6 minority images (5 neighbours each); the minority set "
                        + "holds 5");
        assertThatThrownBy(() -> Smote.oversample(randomImages(8, 3, 1, 4), 7, 1.0, 1))
                .hasMessageContaining("the minority set holds 8 images, more than the majority's 7");
        ImageStack withNan = randomImages(8, 3, 1, 4);
        withNan.pixels()[5] = Float.NaN;
        assertThatThrownBy(() -> Smote.oversample(withNan, 20, 1.0, 1))
                .hasMessageContaining("the minority set has 1 non-finite pixels");
    }

    /** Independent of Smote's own search: full sort of float64 distances per image. */
    private static int[][] bruteForceNeighbours(ImageStack s) {
        int n = s.count();
        int size = s.imageSize();
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            double[] d = new double[n];
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < size; k++) {
                    double diff = s.pixels()[i * size + k] - s.pixels()[j * size + k];
                    sum += diff * diff;
                }
                d[j] = sum;
            }
            int self = i;
            out[i] = java.util.stream.IntStream.range(0, n).filter(j -> j != self).boxed()
                    .sorted((x, y) -> Double.compare(d[x], d[y])).limit(5).mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    private static boolean onSomeNeighbourSegment(ImageStack minority, int[][] nearest, float[] synthetic) {
        int size = minority.imageSize();
        float[] px = minority.pixels();
        for (int a = 0; a < minority.count(); a++) {
            for (int b : nearest[a]) {
                // t from the pixel with the largest difference, then every pixel must match x + t (z - x)
                int best = 0;
                for (int k = 0; k < size; k++) {
                    if (Math.abs(px[b * size + k] - px[a * size + k]) > Math.abs(px[b * size + best] - px[a * size + best])) {
                        best = k;
                    }
                }
                double t = (synthetic[best] - px[a * size + best]) / (double) (px[b * size + best] - px[a * size + best]);
                if (t < -1e-6 || t > 1 + 1e-6) {
                    continue;
                }
                boolean all = true;
                for (int k = 0; k < size && all; k++) {
                    double expected = px[a * size + k] + t * ((double) px[b * size + k] - px[a * size + k]);
                    all = Math.abs(synthetic[k] - expected) <= 1e-3 * Math.max(1, Math.abs(expected));
                }
                if (all) {
                    return true;
                }
            }
        }
        return false;
    }
}
