package org.jbia.common.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.TrainSpec;
import org.junit.jupiter.api.Test;

class DatasetCheckTest {

    private static ImageStack images(int n, int h, int w, int c) {
        return ImageStack.zeros(n, h, w, c);
    }

    @Test
    void aConsistentDatasetPassesAndGivesItsGeometry() {
        DatasetCheck.Geometry g = DatasetCheck.basic().validate(images(20, 64, 64, 3), images(50, 64, 64, 3),
                images(5, 64, 64, 3), null, null, images(4, 64, 64, 3));
        assertThat(g).isEqualTo(new DatasetCheck.Geometry(64, 64, 3));
    }

    @Test
    void reportsEveryProblemInOneMessage() {
        assertThatThrownBy(() -> DatasetCheck.basic().withMinPerClass(10).validate(images(3, 64, 64, 3),
                images(50, 64, 48, 3), images(5, 32, 32, 3), images(5, 64, 64, 1), images(0, 64, 64, 3), null))
                .isInstanceOf(InvalidSpecException.class)
                .satisfies(e -> assertThat(((InvalidSpecException) e).problems()).containsExactly(
                        "positive holds 3 images; at least 10 are needed",
                        "negative images are 64x48 (height x width); the networks need square images",
                        "negative images are 64x48 but positive images are 64x64; every set must have the same image size",
                        "val_positive images are 32x32 but positive images are 64x64; every set must have the same "
                                + "image size",
                        "val_negative images have 1 bands but positive images have 3; every set must have the same bands",
                        "test_positive holds no images; leave it out instead"))
                .hasMessageStartingWith("invalid dataset: positive holds 3 images");
    }

    @Test
    void bothClassesAreRequired() {
        assertThatThrownBy(() -> DatasetCheck.basic().validate(null, images(5, 8, 8, 1), null, null, null, null))
                .hasMessage("invalid dataset: positive is missing: training needs images of both classes");
    }

    @Test
    void withNormalisationOffNonFinitePixelsAreRefusedPerSet() {
        TrainSpec spec = JsonCodec.decode("{\"normalize\": false}", TrainSpec.class);
        ImageStack positive = images(2, 4, 4, 1);
        positive.pixels()[3] = Float.NaN;
        ImageStack validation = images(2, 4, 4, 1);
        validation.pixels()[20] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> DatasetCheck.forTraining(spec).validate(positive, images(2, 4, 4, 1), validation,
                null, null, null))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("positive has 1 non-finite pixels (NaN or infinite) in 1 of 2 images")
                .hasMessageContaining("val_positive has 1 non-finite pixels (NaN or infinite) in 1 of 2 images");
        // with normalisation on they are allowed: they become min_pixel
        TrainSpec on = JsonCodec.decode("{\"normalize\": true, \"max_pixel\": [100]}", TrainSpec.class);
        DatasetCheck.forTraining(on).validate(positive, images(2, 4, 4, 1), validation, null, null, null);
    }

    @Test
    void withNormalisationOnMaxPixelMustHaveOneValuePerBand() {
        TrainSpec spec = JsonCodec.decode("{\"normalize\": true, \"max_pixel\": [100, 200]}", TrainSpec.class);
        assertThatThrownBy(() -> DatasetCheck.forTraining(spec).validate(images(6, 8, 8, 3), images(6, 8, 8, 3),
                null, null, null, null))
                .hasMessage("invalid dataset: max_pixel = [100.0, 200.0] is not allowed: give one value per band: "
                        + "the images have 3 bands, the list has 2");
    }

    @Test
    void smoteNeedsSixMinorityImages() {
        TrainSpec spec = JsonCodec.decode("{\"smote_sampling\": 0.5}", TrainSpec.class);
        assertThatThrownBy(() -> DatasetCheck.forTraining(spec).validate(images(4, 8, 8, 1), images(40, 8, 8, 1),
                null, null, null, null))
                .hasMessage("invalid dataset: smote_sampling = 0.5 needs at least 6 minority images (5 neighbours "
                        + "each); positive holds 4");
    }
}
