package org.jbia.common.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jbia.common.array.ImageStack;
import org.jbia.common.data.CenterCrop.PadMode;
import org.jbia.common.schema.InvalidSpecException;
import org.junit.jupiter.api.Test;

class CenterCropTest {

    /** Pixel value = 1000 * y + x in band 0 and its negative in band 1, so positions can be read back. */
    private static ImageStack ramp(int count, int h, int w) {
        ImageStack s = ImageStack.zeros(count, h, w, 2);
        for (int n = 0; n < count; n++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    s.pixels()[s.index(n, y, x, 0)] = 1000 * y + x + n * 1_000_000;
                    s.pixels()[s.index(n, y, x, 1)] = -(1000 * y + x);
                }
            }
        }
        return s;
    }

    @Test
    void evenCropOfEvenImageIsTrulyCentred() {
        // pyBIA takes rows 26..75 for size 50 of 100; the centred window is 25..74.
        ImageStack out = CenterCrop.crop(ramp(2, 100, 100), 50);
        assertThat(out.shape()).containsExactly(2, 50, 50, 2);
        assertThat(out.get(0, 0, 0, 0)).isEqualTo(25_025f);
        assertThat(out.get(0, 49, 49, 0)).isEqualTo(74_074f);
        assertThat(out.get(1, 0, 0, 0)).isEqualTo(1_025_025f);
        assertThat(out.get(0, 0, 0, 1)).isEqualTo(-25_025f);
    }

    @Test
    void oddDifferenceLeavesTheExtraPixelAtTheBottomRight() {
        ImageStack out = CenterCrop.crop(ramp(1, 100, 100), 67);
        assertThat(out.get(0, 0, 0, 0)).isEqualTo(16_016f);
        assertThat(out.get(0, 66, 66, 0)).isEqualTo(82_082f);
    }

    @Test
    void cropsNonSquareImagesOnBothAxes() {
        ImageStack out = CenterCrop.crop(ramp(1, 6, 10), 4);
        assertThat(out.get(0, 0, 0, 0)).isEqualTo(1003f);
        assertThat(out.get(0, 3, 3, 0)).isEqualTo(4006f);
    }

    @Test
    void theFullSizeIsUnchanged() {
        ImageStack in = ramp(1, 8, 8);
        assertThat(CenterCrop.crop(in, 8)).isEqualTo(in);
    }

    @Test
    void refusesACropLargerThanTheImageUnlessAPadModeIsNamed() {
        assertThatThrownBy(() -> CenterCrop.crop(ramp(1, 100, 100), 101))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("invalid crop: size = 101 is not allowed: the images are 100x100; a crop larger than the "
                        + "image needs a pad mode (constant, nearest or reflect)");
        assertThatThrownBy(() -> CenterCrop.crop(ramp(1, 4, 4), 0)).hasMessageContaining("size = 0 is not allowed");
    }

    @Test
    void padsWithAConstantAroundTheCentredImage() {
        ImageStack out = CenterCrop.crop(ramp(1, 2, 2), 5, PadMode.CONSTANT, -1f);
        // floor((2 - 5) / 2) = -2: two padding rows above, one below; output column 2 is the image's column 0
        assertThat(column(out, 2, 0)).containsExactly(-1f, -1f, 0f, 1000f, -1f);
        ImageStack nan = CenterCrop.crop(ramp(1, 2, 2), 4, PadMode.CONSTANT);
        assertThat(nan.get(0, 0, 0, 0)).isNaN();
    }

    @Test
    void padsWithTheNearestEdge() {
        ImageStack out = CenterCrop.crop(ramp(1, 2, 2), 5, PadMode.NEAREST);
        assertThat(column(out, 2, 0)).containsExactly(0f, 0f, 0f, 1000f, 1000f);
        assertThat(out.get(0, 0, 0, 0)).isEqualTo(0f);
        assertThat(out.get(0, 4, 4, 0)).isEqualTo(1001f);
    }

    @Test
    void padsByReflectionLikeNumpy() {
        // rows 0 1 2 reflected: np.pad([0, 1, 2], (4, 4), 'reflect') = [0 1 2 1 | 0 1 2 | 1 0 1 2]
        ImageStack out = CenterCrop.crop(ramp(1, 3, 3), 11, PadMode.REFLECT);
        assertThat(column(out, 4, 0)).containsExactly(0f, 1000f, 2000f, 1000f, 0f, 1000f, 2000f, 1000f, 0f, 1000f, 2000f);
    }

    @Test
    void parsesPadModesAndNamesTheAllowedOnes() {
        assertThat(PadMode.parse("Reflect")).isEqualTo(PadMode.REFLECT);
        assertThatThrownBy(() -> PadMode.parse("wrap")).isInstanceOf(InvalidSpecException.class)
                .hasMessage("invalid crop: pad_mode = 'wrap' is not allowed: expected constant, nearest or reflect");
    }

    /** Band {@code band} of output column {@code x}, top to bottom. */
    private static float[] column(ImageStack s, int x, int band) {
        float[] out = new float[s.height()];
        for (int y = 0; y < s.height(); y++) {
            out[y] = s.get(0, y, x, band);
        }
        return out;
    }
}
