package org.jbia.optimize.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.JobSpec;
import org.jbia.common.schema.Problems;

/**
 * Everything about a submission that can be known before any work starts: the spec on its own, and
 * the arrays against each other and against the spec. Pure; the resource only translates.
 */
public final class SubmissionCheck {
    /** The array fields of a job, in the order users think of them. */
    public static final List<String> ARRAY_FIELDS = List.of("positive", "negative", "val_positive", "val_negative",
            "test_positive", "test_negative");
    private static final int MIN_IMAGES = 2;

    private SubmissionCheck() {
    }

    /**
     * Every problem of the submission; empty when it can run.
     *
     * @param uploaded the array fields the user sent, readable or not (an unreadable one is reported
     *                 where it was read, not again as missing)
     */
    public static List<String> problems(JobSpec spec, Map<String, ImageStack> arrays, java.util.Set<String> uploaded) {
        Problems p = new Problems();
        p.addAll(spec.problems().messages());
        for (String required : List.of("positive", "negative")) {
            if (!uploaded.contains(required)) {
                p.addMessage(required + ": missing; upload the " + required + " class as a .npy file (N, H, W[, C])");
            }
        }
        Map<String, ImageStack> given = new LinkedHashMap<>();
        for (String field : ARRAY_FIELDS) {
            if (arrays.get(field) != null) {
                given.put(field, arrays.get(field));
            }
        }
        given.forEach((field, stack) -> {
            if (stack.height() != stack.width()) {
                p.add(field, stack.shapeText(), "images must be square (H = W)");
            }
            if ((field.equals("positive") || field.equals("negative")) && stack.count() < MIN_IMAGES) {
                p.add(field, stack.shapeText(), "a class needs at least " + MIN_IMAGES + " images");
            }
            if (stack.count() < 1) {
                p.add(field, stack.shapeText(), "the set is empty");
            }
        });
        ImageStack reference = given.get("positive");
        if (reference != null) {
            given.forEach((field, stack) -> {
                if (!field.equals("positive") && (stack.height() != reference.height()
                        || stack.width() != reference.width() || stack.bands() != reference.bands())) {
                    p.add(field, stack.shapeText(), "its images must match positive's "
                            + reference.height() + "x" + reference.width() + " pixels and " + reference.bands()
                            + " bands");
                }
            });
            int bands = reference.bands();
            double[] maxPixel = spec.train().maxPixel();
            if (maxPixel.length != 1 && maxPixel.length != bands) {
                p.add("max_pixel", maxPixel, "give one value per band (" + bands + ") or one for all");
            }
        }
        if (!spec.train().normalize()) {
            given.forEach((field, stack) -> {
                long bad = nonFinite(stack);
                if (bad > 0) {
                    p.add(field, bad + " non-finite pixels", "training would see NaN or infinity: turn normalize on"
                            + " (they become min_pixel) or clean the data");
                }
            });
        }
        if (reference != null && spec.augmentPositive() != null && spec.augmentPositive().imageSize() != null
                && spec.augmentPositive().imageSize() > reference.height()) {
            p.add("augment_positive.image_size", spec.augmentPositive().imageSize(),
                    "the crop must not be larger than the " + reference.height() + "-pixel images");
        }
        ImageStack negative = given.get("negative");
        if (negative != null && spec.augmentNegative() != null && spec.augmentNegative().imageSize() != null
                && spec.augmentNegative().imageSize() > negative.height()) {
            p.add("augment_negative.image_size", spec.augmentNegative().imageSize(),
                    "the crop must not be larger than the " + negative.height() + "-pixel images");
        }
        return p.messages();
    }

    private static long nonFinite(ImageStack stack) {
        long count = 0;
        for (float v : stack.pixels()) {
            if (!Float.isFinite(v)) {
                count++;
            }
        }
        return count;
    }
}
