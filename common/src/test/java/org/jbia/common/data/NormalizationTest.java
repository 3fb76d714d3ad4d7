package org.jbia.common.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.jbia.common.array.ImageStack;
import org.jbia.common.array.Npy;
import org.jbia.common.schema.InvalidSpecException;
import org.junit.jupiter.api.Test;

class NormalizationTest {

    @Test
    void clipsAndScalesEachBandByItsOwnCeiling() {
        // one 1x2 image, 2 bands: (band0, band1) per pixel
        ImageStack stack = new ImageStack(1, 1, 2, 2, new float[] {5, 50, 20, -3});
        ImageStack out = Normalization.normalize(stack, 0, new double[] {10, 100});
        assertThat(out.shape()).containsExactly(1, 1, 2, 2);
        assertThat(out.pixels()).containsExactly(0.5f, 0.5f, 1f, 0f);
    }

    @Test
    void nonFinitePixelsBecomeMinPixel() {
        ImageStack stack = new ImageStack(1, 2, 2, 1, new float[] {Float.NaN, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, 7});
        ImageStack out = Normalization.normalize(stack, 2, new double[] {12});
        assertThat(out.pixels()).containsExactly(0f, 0f, 0f, 0.5f);
    }

    @Test
    void keepsTheChannelAxisForOneBandAndAcceptsAFloatCeiling() {
        ImageStack stack = new ImageStack(3, 2, 2, 1, new float[12]);
        assertThat(Normalization.normalize(stack, -1, new double[] {2.5}).shape()).containsExactly(3, 2, 2, 1);
    }

    @Test
    void usesFloat32ArithmeticLikeNumpyOnFloat32Arrays() {
        float x = 1234.567f;
        ImageStack out = Normalization.normalize(new ImageStack(1, 1, 1, 1, new float[] {x}), 638, new double[] {3000});
        assertThat(out.pixels()[0]).isEqualTo((x - 638f) / 2362f);
    }

    @Test
    void normalisesTheSharedLensesIntoTheUnitInterval() {
        Path lenses = Path.of(System.getProperty("bia.project.root", "."), "..", "shared", "data", "lenses.npy");
        ImageStack out = Normalization.normalize(Npy.read(lenses), 0, new double[] {100, 150, 200});
        for (float v : out.pixels()) {
            assertThat(v).isBetween(0f, 1f);
        }
    }

    @Test
    void refusesACeilingListOfTheWrongLength() {
        ImageStack threeBands = new ImageStack(1, 1, 1, 3, new float[3]);
        assertThatThrownBy(() -> Normalization.normalize(threeBands, 0, new double[] {3000}))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("invalid normalisation: max_pixel = [3000.0] is not allowed: give one value per band: "
                        + "the images have 3 bands, the list has 1");
        assertThatThrownBy(() -> Normalization.normalize(threeBands, 0, new double[] {1, 2}))
                .hasMessageContaining("the images have 3 bands, the list has 2");
    }

    @Test
    void refusesCeilingsNotAboveTheFloorAndNonFiniteBounds() {
        ImageStack twoBands = new ImageStack(1, 1, 1, 2, new float[2]);
        assertThatThrownBy(() -> Normalization.normalize(twoBands, 10, new double[] {100, 10}))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("max_pixel = [100.0, 10.0] is not allowed: band 1's value 10.0 must be finite "
                        + "and greater than min_pixel = 10.0");
        assertThatThrownBy(() -> Normalization.normalize(twoBands, Double.NaN, new double[] {1, 2}))
                .hasMessageContaining("min_pixel = NaN is not allowed: it must be a finite number");
    }

    @Test
    void countsNonFinitePixelsAndRefusesThemWhenNormalisationIsOff() {
        ImageStack stack = new ImageStack(3, 1, 2, 1, new float[] {1, Float.NaN, 2, 3, Float.NEGATIVE_INFINITY,
                Float.NaN});
        assertThat(Normalization.countNonFinite(stack)).isEqualTo(3);
        assertThatThrownBy(() -> Normalization.requireFinite(stack, "val_positive"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("invalid dataset: val_positive has 3 non-finite pixels (NaN or infinite) in 2 of 3 images; "
                        + "with normalize off nothing replaces them: turn normalize on (they become min_pixel) or "
                        + "clean the data");
        Normalization.requireFinite(new ImageStack(1, 1, 1, 1, new float[] {4}), "positive");
    }
}
