package org.jbia.augment.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.AugmentSpec;
import org.junit.jupiter.api.Test;

/** One seed, one result: bit for bit, for any thread count, and one draw for all bands. */
class ReproducibilityTest {

    private final ImageStack images = TestImages.random(7, 30, 30, 3, 21);

    @Test
    void sameSeedGivesTheSameArraysForAnyThreadCount() {
        AugmentSpec spec = TestImages.everything();
        ImageStack reference = Augmenter.augment(images, spec, 1234L, 1);
        assertThat(reference.count()).isEqualTo(31); // floor(1.5 · 7 · 3)
        for (int threads : new int[] {1, 2, 3, 8}) {
            ImageStack again = Augmenter.augment(images, spec, 1234L, threads);
            assertThat(again.pixels()).as("%d threads", threads).isEqualTo(reference.pixels());
        }
    }

    @Test
    void anotherSeedGivesOtherArrays() {
        AugmentSpec spec = TestImages.everything();
        assertThat(Augmenter.augment(images, spec, 1L, 1).pixels())
                .isNotEqualTo(Augmenter.augment(images, spec, 2L, 1).pixels());
    }

    @Test
    void inputIsNotModified() {
        float[] before = images.pixels().clone();
        Augmenter.augment(images, TestImages.everything(), 5L, 2);
        assertThat(images.pixels()).isEqualTo(before);
    }

    @Test
    void everyBandUndergoesTheSameTransform() {
        // Each band augmented alone with the same seed must equal that band of the joint result:
        // geometry, blend partners, blend function and cutouts are drawn once per image, not per band.
        AugmentSpec spec = TestImages.everything();
        ImageStack joint = Augmenter.augment(images, spec, 77L, 2);
        for (int band = 0; band < 3; band++) {
            ImageStack alone = Augmenter.augment(band(images, band), spec, 77L, 1);
            assertThat(alone.pixels()).as("band %d", band).isEqualTo(band(joint, band).pixels());
        }
    }

    @Test
    void bandsWithTheSameContentStayIdentical() {
        ImageStack grey = TestImages.of(4, 25, 25, 3, (n, y, x, c) -> (float) Math.sin(n + 0.3 * y + 0.7 * x));
        ImageStack out = Augmenter.augment(grey, TestImages.spec().batch(5).shifts(3, 3).flips(true, true)
                .rotation(true).zoom(0.8, 1.2).skew(15).imageSize(15).masks(2.0, 2).build(), 3L, 2);
        for (int k = 0; k < out.count(); k++) {
            for (int y = 0; y < 15; y++) {
                for (int x = 0; x < 15; x++) {
                    assertThat(out.get(k, y, x, 1)).isEqualTo(out.get(k, y, x, 0));
                    assertThat(out.get(k, y, x, 2)).isEqualTo(out.get(k, y, x, 0));
                }
            }
        }
    }

    private static ImageStack band(ImageStack s, int band) {
        ImageStack one = ImageStack.zeros(s.count(), s.height(), s.width(), 1);
        for (int n = 0; n < s.count(); n++) {
            for (int y = 0; y < s.height(); y++) {
                for (int x = 0; x < s.width(); x++) {
                    one.pixels()[one.index(n, y, x, 0)] = s.get(n, y, x, band);
                }
            }
        }
        return one;
    }
}
