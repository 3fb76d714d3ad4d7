package org.jbia.optimize.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.AugmentSpec;
import org.jbia.common.schema.JobSpec;
import org.jbia.common.schema.TrainSpec;
import org.junit.jupiter.api.Test;

class SubmissionCheckTest {
    private static final JobSpec DEFAULTS = new JobSpec(null, null, null, null, null);

    private static Map<String, ImageStack> classes(ImageStack positive, ImageStack negative) {
        Map<String, ImageStack> arrays = new HashMap<>();
        arrays.put("positive", positive);
        arrays.put("negative", negative);
        return arrays;
    }

    @Test
    void aConsistentSubmissionHasNoProblems() {
        assertThat(SubmissionCheck.problems(DEFAULTS, classes(ImageStack.zeros(3, 8, 8, 3), ImageStack.zeros(5, 8, 8, 3)),
                Set.of("positive", "negative"))).isEmpty();
    }

    @Test
    void aMissingClassIsNamed() {
        List<String> problems = SubmissionCheck.problems(DEFAULTS, classes(ImageStack.zeros(3, 8, 8, 3), null),
                Set.of("positive"));
        assertThat(problems).singleElement().asString().startsWith("negative is missing");
    }

    @Test
    void anUnreadableUploadIsNotAlsoCalledMissing() {
        List<String> problems = SubmissionCheck.problems(DEFAULTS, classes(ImageStack.zeros(3, 8, 8, 3), null),
                Set.of("positive", "negative"));
        assertThat(problems).isEmpty();
    }

    @Test
    void classesOfDifferentSizeOrBandsAreRefusedTogetherWithSpecProblems() {
        TrainSpec badEpochs = new TrainSpec("lenet", null, -1, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null);
        List<String> problems = SubmissionCheck.problems(new JobSpec(null, null, null, badEpochs, null),
                classes(ImageStack.zeros(3, 8, 8, 3), ImageStack.zeros(3, 9, 9, 1)), Set.of("positive", "negative"));
        assertThat(problems).anyMatch(p -> p.contains("clf = 'lenet'"))
                .anyMatch(p -> p.contains("epochs = -1"))
                .anyMatch(p -> p.contains("negative images are 9x9"))
                .anyMatch(p -> p.contains("negative images have 1 bands"));
    }

    @Test
    void classesCroppedToDifferentSizesAreRefused() {
        AugmentSpec crop = new AugmentSpec(null, null, null, null, null, null, null, 40, null, null, null, null, null,
                null, null, null);
        List<String> problems = SubmissionCheck.problems(new JobSpec(null, crop, null, null, null),
                classes(ImageStack.zeros(3, 50, 50, 1), ImageStack.zeros(3, 50, 50, 1)), Set.of("positive", "negative"));
        assertThat(problems).singleElement().asString().contains("come out at 40 and 50 pixels");
        assertThat(SubmissionCheck.problems(new JobSpec(null, crop, crop, null, null),
                classes(ImageStack.zeros(3, 50, 50, 1), ImageStack.zeros(3, 50, 50, 1)), Set.of("positive", "negative")))
                .isEmpty();
    }

    @Test
    void aCropLargerThanTheImagesIsRefused() {
        AugmentSpec crop = new AugmentSpec(null, null, null, null, null, null, null, 67, null, null, null, null, null,
                null, null, null);
        List<String> problems = SubmissionCheck.problems(new JobSpec(null, crop, crop, null, null),
                classes(ImageStack.zeros(3, 50, 50, 1), ImageStack.zeros(3, 50, 50, 1)), Set.of("positive", "negative"));
        assertThat(problems).hasSize(2).anyMatch(p -> p.contains("augment_positive.image_size = 67"))
                .anyMatch(p -> p.contains("augment_negative.image_size = 67")).allMatch(p -> p.contains("50-pixel"));
    }
}
