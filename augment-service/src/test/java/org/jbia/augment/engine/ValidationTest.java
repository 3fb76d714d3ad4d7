package org.jbia.augment.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.AugmentSpec;
import org.jbia.common.schema.InvalidSpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad parameter is refused before any work, naming the field, the value and what is allowed. */
class ValidationTest {

    /** Four 20x20 two-band images. */
    private static final ImageStack IMAGES = TestImages.random(4, 20, 20, 2, 1);

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of(TestImages.spec().masks(10.0, 1).build(), "mask_size = 10.0", "must be < 10"),
                Arguments.of(TestImages.spec().imageSize(11).masks(6.0, 1).build(), "mask_size = 6.0",
                        "11x11 output images, so it must be < 6"),
                Arguments.of(TestImages.spec().masks(-2.0, 1).build(), "mask_size = -2.0", "must be > 0"),
                Arguments.of(TestImages.spec().imageSize(21).build(), "image_size = 21",
                        "the images are 20x20 (height x width), so it must be <= 20"),
                Arguments.of(TestImages.spec().imageSize(0).build(), "image_size = 0", "must be >= 1"),
                Arguments.of(TestImages.spec().zoom(1.1, 0.9).build(), "zoom_range = [1.1, 0.9]", "0 < min <= max"),
                Arguments.of(TestImages.spec().zoom(0, 1.1).build(), "zoom_range = [0.0, 1.1]", "0 < min <= max"),
                Arguments.of(TestImages.spec().zoom(-0.5, 1.1).build(), "zoom_range = [-0.5, 1.1]", "0 < min"),
                Arguments.of(TestImages.spec().zoom(0.9, Double.POSITIVE_INFINITY).build(),
                        "zoom_range = [0.9, Infinity]", "must be finite"),
                Arguments.of(TestImages.spec().blend(0.5, "mean", 2).build(), "blend_multiplier = 0.5",
                        "0 (no blending) or >= 1"),
                Arguments.of(TestImages.spec().batch(2).blend(1, "mean", 9).build(), "num_images_to_blend = 9",
                        "the 8 augmented images (4 inputs x batch 2), so it must be <= 8"),
                Arguments.of(TestImages.spec().blend(1, "mean", 1).build(), "num_images_to_blend = 1", ">= 2"),
                Arguments.of(TestImages.spec().batch(-1).build(), "batch = -1", ">= 1"),
                Arguments.of(TestImages.spec().batch(0).build(), "batch = 0", ">= 1"),
                Arguments.of(TestImages.spec().masks(2.0, -1).build(), "num_masks = -1", ">= 0"),
                Arguments.of(TestImages.spec().masks(null, 3).build(), "num_masks = 3", "needs mask_size"),
                Arguments.of(TestImages.spec().shifts(-3, 0).build(), "width_shift = -3", ">= 0"),
                Arguments.of(TestImages.spec().shifts(0, -1).build(), "height_shift = -1", ">= 0"),
                Arguments.of(TestImages.spec().shifts(21, 0).build(), "width_shift = 21", "it must be <= 20"),
                Arguments.of(TestImages.spec().fill("mirror").build(), "fill = 'mirror'",
                        "one of constant, nearest, reflect, wrap"),
                Arguments.of(TestImages.spec().blend(2, "median", 2).build(), "blending_func = 'median'",
                        "one of mean, max, min, random"),
                Arguments.of(TestImages.spec().interpolation("bicubic").build(), "interpolation = 'bicubic'",
                        "one of bilinear, nearest"),
                Arguments.of(TestImages.spec().skew(90).build(), "skew_angle = 90.0", "[0.0, 89.0]"),
                Arguments.of(TestImages.spec().batch(Integer.MAX_VALUE).build(), "batch = 2147483647",
                        "more values than one array holds"),
                Arguments.of(TestImages.spec().blend(1e9, "mean", 2).build(), "blend_multiplier = 1.0E9",
                        "more values than one array holds"));
    }

    @ParameterizedTest
    @MethodSource("badSpecs")
    void badParameterIsNamed(AugmentSpec spec, String fieldAndValue, String allowed) {
        assertThatThrownBy(() -> Augmenter.augment(IMAGES, spec, 1L, 1))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining(fieldAndValue)
                .hasMessageContaining(allowed);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        AugmentSpec spec = TestImages.spec().imageSize(30).fill("edge").shifts(-1, 0).build();
        assertThatThrownBy(() -> Augmenter.augment(IMAGES, spec, 1L, 1))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.problems()).hasSize(2).anyMatch(m -> m.startsWith("fill = 'edge'"))
                                .anyMatch(m -> m.startsWith("width_shift = -1")));
        // the image-dependent image_size problem is reported once the spec itself is sound
        AugmentSpec sound = TestImages.spec().imageSize(30).masks(null, 2).build();
        assertThatThrownBy(() -> Augmenter.augment(IMAGES, sound, 1L, 1))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.problems()).hasSize(2));
    }

    @Test
    void threadsMustBePositive() {
        assertThatThrownBy(() -> Augmenter.augment(IMAGES, AugmentSpec.identity(), 1L, 0))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("threads = 0 is not allowed: it must be >= 1");
    }

    @Test
    void largestFittingValuesAreAccepted() {
        AugmentSpec spec = TestImages.spec().batch(2).imageSize(20).shifts(20, 20).masks(9.9, 1)
                .blend(1, "mean", 8).zoom(1, 1).build();
        assertThat(Augmenter.augment(IMAGES, spec, 1L, 1).count()).isEqualTo(8);
        assertThat(Augmenter.problems(4, 20, 20, 2, spec).isEmpty()).isTrue();
    }
}
