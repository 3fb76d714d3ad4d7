package org.jbia.augment.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.jbia.common.array.ImageStack;
import org.junit.jupiter.api.Test;

/** skew_angle is a real shear of at most that angle: no magnification, no corner zoom (pyBIA's bug). */
class SkewTest {

    @Test
    void skewIsAShearOfAtMostTheAngle() {
        double maxAngle = 20;
        int size = 41;
        int crop = 21;
        int off = (size - crop) / 2;
        double c = (crop - 1) / 2.0;
        // band 0 = x, band 1 = y: a shear along x changes only band 0, by -t·(y - c).
        ImageStack ramps = TestImages.of(1, size, size, 2, (n, y, x, band) -> band == 0 ? x : y);
        ImageStack out = Augmenter.augment(ramps, TestImages.spec().batch(60).imageSize(crop).skew(maxAngle).build(),
                42, 1);
        double limit = Math.tan(Math.toRadians(maxAngle));
        double largest = 0;
        int alongX = 0;
        int alongY = 0;
        for (int k = 0; k < out.count(); k++) {
            double tx = -(out.get(k, 0, (int) c, 0) - (c + off)) / (0 - c);
            double ty = -(out.get(k, (int) c, 0, 1) - (c + off)) / (0 - c);
            assertThat(Math.abs(tx) < 1e-6 || Math.abs(ty) < 1e-6).as("one axis only").isTrue();
            double t = Math.abs(tx) > Math.abs(ty) ? tx : ty;
            assertThat(Math.abs(t)).isLessThanOrEqualTo(limit + 1e-6);
            largest = Math.max(largest, Math.abs(t));
            if (Math.abs(tx) > 1e-6) {
                alongX++;
            } else if (Math.abs(ty) > 1e-6) {
                alongY++;
            }
            for (int y = 0; y < crop; y++) {
                for (int x = 0; x < crop; x++) {
                    assertThat(out.get(k, y, x, 0)).isCloseTo((float) (x + off - tx * (y - c)), within(1e-3f));
                    assertThat(out.get(k, y, x, 1)).isCloseTo((float) (y + off - ty * (x - c)), within(1e-3f));
                }
            }
        }
        assertThat(largest).as("the shear is not vanishingly small").isGreaterThan(Math.tan(Math.toRadians(10)));
        assertThat(alongX).isPositive();
        assertThat(alongY).isPositive();
    }
}
