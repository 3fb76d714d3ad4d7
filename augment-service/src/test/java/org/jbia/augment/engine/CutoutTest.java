package org.jbia.augment.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.jbia.common.array.ImageStack;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** mask_size is a radius: exactly the pixels within it become zero, in every band. */
class CutoutTest {

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 2.5, 4.0, 5.0})
    void cutoutZeroesExactlyTheDisk(double radius) {
        int size = 23;
        ImageStack ones = TestImages.of(1, size, size, 2, (n, y, x, c) -> 1f);
        ImageStack out = Augmenter.augment(ones, TestImages.spec().batch(30).masks(radius, 1).build(), 9, 1);
        int reach = (int) Math.floor(radius);
        for (int k = 0; k < out.count(); k++) {
            long sumY = 0;
            long sumX = 0;
            int zeros = 0;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    assertThat(out.get(k, y, x, 1)).isEqualTo(out.get(k, y, x, 0));
                    if (out.get(k, y, x, 0) == 0f) {
                        sumY += y;
                        sumX += x;
                        zeros++;
                    } else {
                        assertThat(out.get(k, y, x, 0)).isEqualTo(1f);
                    }
                }
            }
            assertThat(zeros).isPositive();
            // The disk is symmetric, so its centroid is its (integer) centre.
            assertThat(sumY % zeros).isZero();
            assertThat(sumX % zeros).isZero();
            int cy = (int) (sumY / zeros);
            int cx = (int) (sumX / zeros);
            assertThat(cy).isBetween(reach, size - 1 - reach);
            assertThat(cx).isBetween(reach, size - 1 - reach);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean inside = (y - cy) * (y - cy) + (x - cx) * (x - cx) <= radius * radius;
                    assertThat(out.get(k, y, x, 0) == 0f).as("(%d, %d) around (%d, %d)", y, x, cy, cx)
                            .isEqualTo(inside);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void severalMasksEachZeroADisk(int masks) {
        double radius = 3;
        ImageStack ones = TestImages.of(1, 40, 40, 1, (n, y, x, c) -> 1f);
        ImageStack out = Augmenter.augment(ones, TestImages.spec().batch(20).masks(radius, masks).build(), 5, 1);
        int disk = 29; // pixels with dx² + dy² <= 9
        for (int k = 0; k < out.count(); k++) {
            int zeros = 0;
            for (float v : out.image(k).pixels()) {
                zeros += v == 0f ? 1 : 0;
            }
            assertThat(zeros).isBetween(disk, masks * disk);
        }
    }
}
