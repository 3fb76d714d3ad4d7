package org.jbia.augment.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.jbia.common.array.ImageStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The warp reproduces each geometric step exactly where it should. */
class GeometryTest {

    private static ImageStack warp(ImageStack in, Geometry g, int outH, int outW, Fill fill, boolean nearest) {
        ImageStack out = ImageStack.zeros(in.count(), outH, outW, in.bands());
        for (int n = 0; n < in.count(); n++) {
            Warp.apply(in.pixels(), n * in.imageSize(), in.height(), in.width(), in.bands(), out.pixels(),
                    n * out.imageSize(), outH, outW, g.inverse(in.height(), in.width(), outH, outW), fill, nearest);
        }
        return out;
    }

    private static Geometry rotation(double degrees) {
        return new Geometry(0, 0, false, false, degrees, 1, 0, true);
    }

    /** A random image with a NaN in it: pixel moves must carry it without smearing it. */
    private static ImageStack withNan(int size, int bands) {
        ImageStack in = TestImages.random(2, size, size, bands, 7);
        in.pixels()[in.index(1, 2, 3, 0)] = Float.NaN;
        return in;
    }

    /** Bit-equal, so a NaN must land exactly where its pixel went. */
    private static void assertSame(float actual, float expected) {
        assertThat(Float.floatToRawIntBits(actual)).isEqualTo(Float.floatToRawIntBits(expected));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void flipsMirrorExactly(boolean nearest) {
        ImageStack in = withNan(9, 3);
        ImageStack h = warp(in, new Geometry(0, 0, true, false, 0, 1, 0, true), 9, 9, Fill.NEAREST, nearest);
        ImageStack v = warp(in, new Geometry(0, 0, false, true, 0, 1, 0, true), 9, 9, Fill.NEAREST, nearest);
        for (int n = 0; n < 2; n++) {
            for (int y = 0; y < 9; y++) {
                for (int x = 0; x < 9; x++) {
                    for (int c = 0; c < 3; c++) {
                        assertSame(h.get(n, y, x, c), in.get(n, y, 8 - x, c));
                        assertSame(v.get(n, y, x, c), in.get(n, 8 - y, x, c));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 9})
    void quarterTurnIsTransposeThenFlip(int size) {
        ImageStack in = withNan(size, 2);
        ImageStack r90 = warp(in, rotation(90), size, size, Fill.CONSTANT, false);
        ImageStack r180 = warp(in, rotation(180), size, size, Fill.CONSTANT, false);
        ImageStack r270 = warp(in, rotation(270), size, size, Fill.CONSTANT, false);
        int last = size - 1;
        for (int n = 0; n < 2; n++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    for (int c = 0; c < 2; c++) {
                        // transpose T(y, x) = in(x, y); left-right flip of T
                        assertSame(r90.get(n, y, x, c), in.get(n, last - x, y, c));
                        assertSame(r180.get(n, y, x, c), in.get(n, last - y, last - x, c));
                        // top-bottom flip of T
                        assertSame(r270.get(n, y, x, c), in.get(n, x, last - y, c));
                    }
                }
            }
        }
    }

    @Test
    void cropIsTheCentredWindow() {
        ImageStack in = TestImages.random(3, 12, 12, 2, 3);
        ImageStack even = Augmenter.augment(in, TestImages.spec().imageSize(6).build(), 1, 1);
        // 12 -> 6 leaves 3 pixels on each side.
        assertCropAt(in, even, 3, 3);
        ImageStack odd = Augmenter.augment(in, TestImages.spec().imageSize(5).build(), 1, 1);
        // 12 -> 5 leaves 7: 3 before, 4 after (pyBIA's crop_image was off the other way for even sizes).
        assertCropAt(in, odd, 3, 3);
        ImageStack tall = TestImages.random(1, 10, 14, 1, 4);
        assertCropAt(tall, Augmenter.augment(tall, TestImages.spec().imageSize(4).build(), 1, 1), 3, 5);
    }

    private static void assertCropAt(ImageStack in, ImageStack out, int top, int left) {
        assertThat(out.count()).isEqualTo(in.count());
        for (int n = 0; n < in.count(); n++) {
            for (int y = 0; y < out.height(); y++) {
                for (int x = 0; x < out.width(); x++) {
                    for (int c = 0; c < in.bands(); c++) {
                        assertThat(out.get(n, y, x, c)).isEqualTo(in.get(n, y + top, x + left, c));
                    }
                }
            }
        }
    }

    @Test
    void integerShiftsMoveContentAndFillTheGap() {
        ImageStack in = TestImages.random(1, 6, 7, 1, 11);
        Geometry g = new Geometry(2, -1, false, false, 0, 1, 0, true);
        for (Fill fill : Fill.values()) {
            ImageStack out = warp(in, g, 6, 7, fill, false);
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 7; x++) {
                    int sy = fill.index(y + 1, 6);
                    int sx = fill.index(x - 2, 7);
                    float expected = sx < 0 || sy < 0 ? 0f : in.get(0, sy, sx, 0);
                    assertThat(out.get(0, y, x, 0)).as("%s at (%d, %d)", fill, y, x).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void fillRulesFollowScipyNames() {
        // axis of length 4: indices -3..6
        int[] reflect = {2, 1, 0, 0, 1, 2, 3, 3, 2, 1};
        int[] wrap = {1, 2, 3, 0, 1, 2, 3, 0, 1, 2};
        int[] nearest = {0, 0, 0, 0, 1, 2, 3, 3, 3, 3};
        for (int i = -3; i <= 6; i++) {
            assertThat(Fill.REFLECT.index(i, 4)).isEqualTo(reflect[i + 3]);
            assertThat(Fill.WRAP.index(i, 4)).isEqualTo(wrap[i + 3]);
            assertThat(Fill.NEAREST.index(i, 4)).isEqualTo(nearest[i + 3]);
            assertThat(Fill.CONSTANT.index(i, 4)).isEqualTo(i >= 0 && i < 4 ? i : -1);
        }
    }

    @Test
    void zoomMagnifiesAboutTheCentre() {
        // f = x: after a zoom z about centre c the output reads c + (u - c) / z.
        ImageStack ramp = TestImages.of(1, 20, 20, 1, (n, y, x, c) -> x);
        ImageStack out = warp(ramp, new Geometry(0, 0, false, false, 0, 2.0, 0, true), 20, 20, Fill.NEAREST, false);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                assertThat(out.get(0, y, x, 0)).isCloseTo((float) (9.5 + (x - 9.5) / 2), within(1e-5f));
            }
        }
    }

    @Test
    void nearestInterpolationOnlyCopiesInputValues() {
        ImageStack in = TestImages.random(1, 16, 16, 1, 5);
        ImageStack out = warp(in, new Geometry(1, 2, true, false, 33.3, 1.07, 0.1, false), 16, 16, Fill.WRAP,
                true);
        java.util.Set<Float> values = new java.util.HashSet<>();
        for (float v : in.pixels()) {
            values.add(v);
        }
        for (float v : out.pixels()) {
            assertThat(values).contains(v);
        }
    }

    @Test
    void bilinearStaysWithinTheNeighbourhoodRange() {
        ImageStack in = TestImages.random(1, 16, 16, 3, 6);
        ImageStack out = warp(in, new Geometry(0, 0, false, false, 21, 1.3, 0, true), 16, 16, Fill.NEAREST, false);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : in.pixels()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        for (float v : out.pixels()) {
            assertThat(v).isBetween(min, max);
        }
    }
}
