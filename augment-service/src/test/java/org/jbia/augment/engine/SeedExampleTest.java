package org.jbia.augment.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.AugmentSpec;
import org.junit.jupiter.api.Test;

/**
 * The two calls of the seed's "Data Augmentation" section on the 20 real lenses: 25 augmentations
 * each make 500 positives; the negatives are resized (centre cropped) to 67 with the same cutouts.
 */
class SeedExampleTest {

    private static final int IMAGE_SIZE = 67;

    @Test
    void positivesBecomeFiveHundredSixtySevenPixelImages() {
        ImageStack lenses = TestImages.lenses();
        assertThat(lenses.shape()).containsExactly(20, 100, 100, 3);
        AugmentSpec spec = TestImages.spec().batch(25).shifts(10, 10).flips(true, true).rotation(true)
                .zoom(0.9, 1.1).imageSize(IMAGE_SIZE).masks(5.0, 5).build();
        ImageStack positives = Augmenter.augment(lenses, spec, 2024L, 2);
        assertThat(positives.shape()).containsExactly(500, IMAGE_SIZE, IMAGE_SIZE, 3);
        float lo = 0f;
        float hi = 0f;
        for (float v : lenses.pixels()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        int changed = 0;
        for (int k = 0; k < positives.count(); k++) {
            ImageStack crop = centreCrop(lenses.image(k / 25));
            if (!java.util.Arrays.equals(positives.image(k).pixels(), crop.pixels())) {
                changed++;
            }
        }
        // Bilinear samples are convex combinations of lens pixels and cutouts are 0.
        float outLo = Float.MAX_VALUE;
        float outHi = -Float.MAX_VALUE;
        int notFinite = 0;
        for (float v : positives.pixels()) {
            notFinite += Float.isFinite(v) ? 0 : 1;
            outLo = Math.min(outLo, v);
            outHi = Math.max(outHi, v);
        }
        assertThat(notFinite).isZero();
        assertThat(outLo).isGreaterThanOrEqualTo(lo);
        assertThat(outHi).isLessThanOrEqualTo(hi);
        assertThat(changed).as("augmented copies differ from a plain crop").isEqualTo(500);
    }

    @Test
    void negativesAreResizedToSixtySevenAndOnlyMasked() {
        ImageStack others = TestImages.random(30, 100, 100, 3, 500).concat(TestImages.lenses());
        AugmentSpec spec = TestImages.spec().imageSize(IMAGE_SIZE).masks(5.0, 5).build();
        ImageStack negatives = Augmenter.augment(others, spec, 7L, 2);
        assertThat(negatives.shape()).containsExactly(50, IMAGE_SIZE, IMAGE_SIZE, 3);
        for (int k = 0; k < negatives.count(); k++) {
            ImageStack crop = centreCrop(others.image(k));
            int zeroed = 0;
            for (int p = 0; p < crop.pixels().length; p++) {
                float v = negatives.pixels()[k * crop.imageSize() + p];
                if (v != crop.pixels()[p]) {
                    assertThat(v).as("image %d value %d", k, p).isZero();
                    zeroed++;
                }
            }
            // five disks of 81 pixels, possibly overlapping, in three bands
            assertThat(zeroed).isBetween(1, 5 * 81 * 3);
        }

        ImageStack resizedOnly = Augmenter.augment(others, TestImages.spec().imageSize(IMAGE_SIZE).build(), 7L, 1);
        for (int k = 0; k < others.count(); k++) {
            assertThat(resizedOnly.image(k).pixels()).isEqualTo(centreCrop(others.image(k)).pixels());
        }
    }

    /** Rows and columns 16..82 of a 100 px image. */
    private static ImageStack centreCrop(ImageStack one) {
        int off = (one.height() - IMAGE_SIZE) / 2;
        return TestImages.of(1, IMAGE_SIZE, IMAGE_SIZE, one.bands(), (n, y, x, c) -> one.get(0, y + off, x + off, c));
    }
}
