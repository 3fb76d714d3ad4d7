package org.jbia.optimize.api;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jbia.common.array.ImageStack;
import org.jbia.common.data.DatasetCheck;
import org.jbia.common.schema.AugmentSpec;
import org.jbia.common.schema.JobSpec;
import org.jbia.common.schema.Problems;

/**
 * Everything about a submission that can be known before any work starts: the spec on its own, the
 * data sets against each other (the shared {@link DatasetCheck}), and the crops against the images.
 * Pure; the resource only translates.
 */
public final class SubmissionCheck {
    /** The array fields of a job, in the order users think of them. */
    public static final List<String> ARRAY_FIELDS = List.of("positive", "negative", "val_positive", "val_negative",
            "test_positive", "test_negative");
    /** A class of one image cannot be shuffled into batches or validated against; two is the least. */
    private static final int MIN_IMAGES = 2;

    private SubmissionCheck() {
    }

    /**
     * Every problem of the submission; empty when it can run.
     *
     * @param uploaded the array fields the user sent, readable or not (an unreadable one is reported
     *                 where it was read, not again as missing)
     */
    public static List<String> problems(JobSpec spec, Map<String, ImageStack> arrays, Set<String> uploaded) {
        Problems p = new Problems();
        p.addAll(spec.problems().messages());
        Problems data = DatasetCheck.forTraining(spec.train()).withMinPerClass(MIN_IMAGES).problems(
                arrays.get("positive"), arrays.get("negative"), arrays.get("val_positive"), arrays.get("val_negative"),
                arrays.get("test_positive"), arrays.get("test_negative"));
        for (String message : data.messages()) {
            boolean unreadableNotMissing = uploaded.stream().anyMatch(f -> message.startsWith(f + " is missing"));
            if (!unreadableNotMissing) {
                p.addMessage(message);
            }
        }
        checkCrop(p, "augment_positive.image_size", spec.augmentPositive(), arrays.get("positive"));
        checkCrop(p, "augment_negative.image_size", spec.augmentNegative(), arrays.get("negative"));
        ImageStack positive = arrays.get("positive");
        ImageStack negative = arrays.get("negative");
        if (positive != null && negative != null && positive.height() == negative.height()) {
            int positiveSize = sizeAfter(spec.augmentPositive(), positive);
            int negativeSize = sizeAfter(spec.augmentNegative(), negative);
            if (positiveSize != negativeSize) {
                p.addMessage("augment_positive.image_size / augment_negative.image_size: the classes would come out at "
                        + positiveSize + " and " + negativeSize + " pixels; crop both to the same image_size (pyBIA's "
                        + "example crops the negatives with augment_negative(image_size=...) for this)");
            }
        }
        return p.messages();
    }

    private static int sizeAfter(AugmentSpec spec, ImageStack images) {
        return spec == null || spec.imageSize() == null ? images.height() : spec.imageSize();
    }

    private static void checkCrop(Problems p, String field, AugmentSpec spec, ImageStack images) {
        if (spec != null && images != null && spec.imageSize() != null && spec.imageSize() > images.height()) {
            p.add(field, spec.imageSize(), "the crop must not be larger than the " + images.height() + "-pixel images");
        }
    }
}
