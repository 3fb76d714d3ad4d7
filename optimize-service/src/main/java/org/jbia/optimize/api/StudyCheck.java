package org.jbia.optimize.api;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.JobSpec;
import org.jbia.common.schema.study.OptimizeSpec;
import org.jbia.common.schema.study.StudySpec;
import org.jbia.optimize.study.Folds;
import org.jbia.optimize.study.SpaceBuilder;

/**
 * Everything about a study submission that can be known before any trial runs: what a job
 * submission checks ({@link SubmissionCheck}: the training spec, any fixed augmentation, the data),
 * the study's own fields, its parameter names and values against its space, and the data its options
 * need (validation data for val_ metrics and opt_cv, test data for test_acc_threshold, images at least
 * image_size_max). Pure; the resource only translates.
 */
public final class StudyCheck {

    private StudyCheck() {
    }

    /** Every problem of the submission, each once; empty when it can run. */
    public static List<String> problems(StudySpec spec, Map<String, ImageStack> arrays, Set<String> uploaded) {
        Set<String> p = new LinkedHashSet<>();
        JobSpec asJob = new JobSpec(spec.name(), spec.augmentPositive(), spec.augmentNegative(), spec.train(),
                spec.seed());
        p.addAll(SubmissionCheck.problems(asJob, arrays, uploaded));
        List<String> own = spec.problems().messages();
        p.addAll(own);
        ImageStack positive = arrays.get("positive");
        ImageStack negative = arrays.get("negative");
        int bands = positive != null ? positive.bands() : 1;
        for (String message : SpaceBuilder.problems(spec, bands).messages()) {
            // With bad ranges the space repeats them in its own words; the names and values still count.
            if (own.isEmpty() || message.startsWith("optimize.choices.") || message.startsWith("optimize.fixed.")) {
                p.add(message);
            }
        }
        OptimizeSpec o = spec.optimize();
        ImageStack valPositive = arrays.get("val_positive");
        ImageStack valNegative = arrays.get("val_negative");
        boolean validation = valPositive != null || valNegative != null;
        if (!validation) {
            for (String field : o.validationFields()) {
                p.add(field + " is not allowed: it needs validation data (val_positive/val_negative); without it use "
                        + "the metric without val_");
            }
        }
        if (o.optCv() != null && o.optCv() >= 2 && positive != null && negative != null) {
            p.addAll(Folds.problems(o.optCv(), positive.count(), valPositive == null ? null : valPositive.count(),
                    negative.count(), valNegative == null ? null : valNegative.count()).messages());
        }
        boolean test = arrays.get("test_positive") != null || arrays.get("test_negative") != null;
        if (o.testAccThreshold() != null && !test) {
            p.add("optimize.test_acc_threshold = " + o.testAccThreshold() + " is not allowed: it needs test data "
                    + "(test_positive/test_negative)");
        }
        if (test && !o.postMetric() && o.testAccThreshold() == null) {
            p.add("test_positive/test_negative are given but unused: with optimize.post_metric = false set "
                    + "optimize.test_acc_threshold, or leave the test data out");
        }
        if (o.optAug() && positive != null) {
            int size = Math.min(positive.height(), negative != null ? negative.height() : positive.height());
            if (o.imageSizeMax() > size) {
                p.add("optimize.image_size_max = " + o.imageSizeMax() + " is not allowed: the images are " + size + "x"
                        + size + ", so it must be <= " + size);
            }
        }
        if (o.tunesMaxPixel() && o.optMaxMinPix() != null && !(o.optMaxMinPix() > spec.train().minPixel())) {
            p.add("optimize.opt_max_min_pix = " + o.optMaxMinPix() + " is not allowed: a max_pixel must be greater "
                    + "than train.min_pixel = " + spec.train().minPixel());
        }
        return List.copyOf(p);
    }
}
