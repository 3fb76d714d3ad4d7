package org.jbia.augment.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.AugmentSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Blending replaces the set by floor(multiplier · n · batch) true blends of distinct images. */
class BlendTest {

    @ParameterizedTest
    @CsvSource({"7, 1, 1.0, 7", "7, 1, 1.5, 10", "20, 10, 2.5, 500", "3, 2, 1.99, 11"})
    void blendCountIsTheMultiplierTimesTheSet(int inputs, int batch, double multiplier, int expected) {
        ImageStack in = TestImages.random(inputs, 6, 6, 1, 1);
        AugmentSpec spec = TestImages.spec().batch(batch).blend(multiplier, "mean", 2).build();
        assertThat(Augmenter.augment(in, spec, 3, 2).count()).isEqualTo(expected);
        assertThat(Augmenter.outputCount(inputs, spec)).isEqualTo(expected);
    }

    @Test
    void meanOfTwoIsTheirPlainMean() {
        ImageStack in = TestImages.random(6, 5, 5, 2, 2);
        ImageStack out = Augmenter.augment(in, TestImages.spec().blend(3, "mean", 2).build(), 8, 1);
        assertThat(out.count()).isEqualTo(18);
        for (int k = 0; k < out.count(); k++) {
            assertThat(matchingFunctions(in, out, k, 2)).contains(BlendFunction.MEAN);
        }
    }

    @Test
    void maxAndMinPickPixelwiseExtremes() {
        ImageStack in = TestImages.random(5, 5, 5, 1, 3);
        ImageStack max = Augmenter.augment(in, TestImages.spec().blend(2, "max", 2).build(), 8, 1);
        ImageStack min = Augmenter.augment(in, TestImages.spec().blend(2, "min", 2).build(), 8, 1);
        for (int k = 0; k < max.count(); k++) {
            assertThat(matchingFunctions(in, max, k, 2)).contains(BlendFunction.MAX);
            assertThat(matchingFunctions(in, min, k, 2)).contains(BlendFunction.MIN);
        }
    }

    @Test
    void randomDrawsEachFunctionFromTheSeed() {
        ImageStack in = TestImages.random(5, 4, 4, 1, 4);
        ImageStack out = Augmenter.augment(in, TestImages.spec().blend(8, "random", 2).build(), 8, 1);
        Set<BlendFunction> seen = EnumSet.noneOf(BlendFunction.class);
        for (int k = 0; k < out.count(); k++) {
            Set<BlendFunction> f = matchingFunctions(in, out, k, 2);
            assertThat(f).isNotEmpty();
            seen.addAll(f);
        }
        assertThat(seen).contains(BlendFunction.MEAN, BlendFunction.MAX, BlendFunction.MIN);
    }

    @Test
    void blendsOfUpToKImagesStayWithinTheInputsRange() {
        ImageStack in = TestImages.random(9, 6, 6, 3, 5);
        for (String func : new String[] {"mean", "max", "min", "random"}) {
            ImageStack out = Augmenter.augment(in, TestImages.spec().blend(4, func, 5).build(), 6, 2);
            assertThat(out.count()).isEqualTo(36);
            for (int k = 0; k < out.count(); k++) {
                for (int p = 0; p < in.imageSize(); p++) {
                    float lo = Float.MAX_VALUE;
                    float hi = -Float.MAX_VALUE;
                    for (int n = 0; n < in.count(); n++) {
                        lo = Math.min(lo, in.pixels()[n * in.imageSize() + p]);
                        hi = Math.max(hi, in.pixels()[n * in.imageSize() + p]);
                    }
                    assertThat(out.pixels()[k * out.imageSize() + p]).isBetween(lo, hi);
                }
            }
        }
    }

    @Test
    void meanOfSeveralIsEqualWeight() {
        // Images of constant value 0, 1, 2, ... : a true mean of k distinct ones is a mean of k integers.
        ImageStack in = TestImages.of(6, 3, 3, 1, (n, y, x, c) -> 10 * n);
        ImageStack out = Augmenter.augment(in, TestImages.spec().blend(5, "mean", 4).build(), 12, 1);
        boolean sawMoreThanTwo = false;
        for (int k = 0; k < out.count(); k++) {
            float v = out.get(k, 1, 1, 0);
            boolean found = false;
            // every subset of {0, 10, ..., 50} of size 2..4
            for (int mask = 0; mask < 64 && !found; mask++) {
                int size = Integer.bitCount(mask);
                if (size < 2 || size > 4) {
                    continue;
                }
                double sum = 0;
                for (int n = 0; n < 6; n++) {
                    sum += (mask >> n & 1) * 10 * n;
                }
                if ((float) (sum / size) == v) {
                    found = true;
                }
            }
            assertThat(found).as("blend %d = %s is a plain mean of 2..4 inputs", k, v).isTrue();
            // Means of two are multiples of 5; some blends must have used three or four images.
            sawMoreThanTwo |= v % 5 != 0;
            for (float p : out.image(k).pixels()) {
                assertThat(p).isEqualTo(v);
            }
        }
        assertThat(sawMoreThanTwo).isTrue();
    }

    /** The functions f such that blend k equals f of some pair of distinct inputs. */
    private static Set<BlendFunction> matchingFunctions(ImageStack in, ImageStack out, int k, int pairSize) {
        Set<BlendFunction> found = EnumSet.noneOf(BlendFunction.class);
        int size = in.imageSize();
        for (int a = 0; a < in.count(); a++) {
            for (int b = a + 1; b < in.count(); b++) {
                boolean mean = true;
                boolean max = true;
                boolean min = true;
                for (int p = 0; p < size; p++) {
                    float x = in.pixels()[a * size + p];
                    float y = in.pixels()[b * size + p];
                    float o = out.pixels()[k * size + p];
                    mean &= o == (float) (((double) x + y) / pairSize);
                    max &= o == Math.max(x, y);
                    min &= o == Math.min(x, y);
                }
                if (mean) {
                    found.add(BlendFunction.MEAN);
                }
                if (max) {
                    found.add(BlendFunction.MAX);
                }
                if (min) {
                    found.add(BlendFunction.MIN);
                }
            }
        }
        return found;
    }
}
