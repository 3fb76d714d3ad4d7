package org.jbia.common.data;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.Problems;
import org.jbia.common.schema.TrainSpec;

/**
 * Checks a whole dataset before any work starts, and reports every problem in one message: both
 * classes present with enough images, every present set non-empty, square images, the same height,
 * width and band count in every set, and, depending on the training settings, max_pixel's length,
 * finite pixels when normalisation is off, and enough minority images for SMOTE.
 *
 * <p>Set names are pyBIA's argument names without "_class": positive, negative, val_positive,
 * val_negative, test_positive, test_negative.
 *
 * @param minPerClass     the fewest images the positive and the negative set may each hold
 * @param normalization   the training's normalisation settings, or null not to check them
 * @param smoteSampling   the SMOTE ratio; above 0, the minority class needs {@link Smote#NEIGHBOURS} + 1 images
 */
public record DatasetCheck(int minPerClass, NormalizationSettings normalization, double smoteSampling) {

    /** normalize on/off with its bounds; off means non-finite pixels are refused. */
    public record NormalizationSettings(boolean normalize, double minPixel, double[] maxPixel) {
    }

    /** The image geometry every set shares. */
    public record Geometry(int height, int width, int bands) {
    }

    public DatasetCheck {
        if (minPerClass < 1) {
            throw new IllegalArgumentException("minPerClass = " + minPerClass + " is not allowed: it must be >= 1");
        }
    }

    /** Geometry and counts only: at least one image per class. */
    public static DatasetCheck basic() {
        return new DatasetCheck(1, null, 0);
    }

    /** Everything a training run with {@code spec} needs of its data. */
    public static DatasetCheck forTraining(TrainSpec spec) {
        return new DatasetCheck(1, new NormalizationSettings(spec.normalize(), spec.minPixel(), spec.maxPixel()),
                spec.smoteSampling());
    }

    public DatasetCheck withMinPerClass(int min) {
        return new DatasetCheck(min, normalization, smoteSampling);
    }

    /**
     * Every problem of the dataset; null sets are absent (positive and negative must be present).
     */
    public Problems problems(ImageStack positive, ImageStack negative, ImageStack valPositive, ImageStack valNegative,
                             ImageStack testPositive, ImageStack testNegative) {
        Map<String, ImageStack> sets = new LinkedHashMap<>();
        sets.put("positive", positive);
        sets.put("negative", negative);
        sets.put("val_positive", valPositive);
        sets.put("val_negative", valNegative);
        sets.put("test_positive", testPositive);
        sets.put("test_negative", testNegative);
        Problems p = new Problems();
        Map.Entry<String, ImageStack> reference = null;
        for (Map.Entry<String, ImageStack> e : sets.entrySet()) {
            String name = e.getKey();
            ImageStack set = e.getValue();
            boolean training = name.equals("positive") || name.equals("negative");
            if (set == null) {
                if (training) {
                    p.addMessage(name + " is missing: training needs images of both classes");
                }
                continue;
            }
            if (training && set.count() < minPerClass) {
                p.addMessage(name + " holds " + set.count() + " images; at least " + minPerClass + " are needed");
            } else if (set.count() == 0) {
                p.addMessage(name + " holds no images; leave it out instead");
            }
            if (set.height() != set.width()) {
                p.addMessage(name + " images are " + set.height() + "x" + set.width()
                        + " (height x width); the networks need square images");
            }
            if (reference == null) {
                reference = e;
            } else {
                ImageStack r = reference.getValue();
                if (r.height() != set.height() || r.width() != set.width()) {
                    p.addMessage(name + " images are " + set.height() + "x" + set.width() + " but "
                            + reference.getKey() + " images are " + r.height() + "x" + r.width()
                            + "; every set must have the same image size");
                }
                if (r.bands() != set.bands()) {
                    p.addMessage(name + " images have " + set.bands() + " bands but " + reference.getKey()
                            + " images have " + r.bands() + "; every set must have the same bands");
                }
            }
            if (normalization != null && !normalization.normalize()) {
                p.addAll(Normalization.finiteProblems(set, name).messages());
            }
        }
        if (normalization != null && normalization.normalize() && reference != null) {
            p.addAll(Normalization.check(reference.getValue().bands(), normalization.minPixel(),
                    normalization.maxPixel()).messages());
        }
        if (smoteSampling > 0 && positive != null && negative != null && positive.count() != negative.count()) {
            ImageStack minority = positive.count() < negative.count() ? positive : negative;
            String name = minority == positive ? "positive" : "negative";
            if (minority.count() < Smote.NEIGHBOURS + 1) {
                p.addMessage("smote_sampling = " + smoteSampling + " needs at least " + (Smote.NEIGHBOURS + 1)
                        + " minority images (" + Smote.NEIGHBOURS + " neighbours each); " + name + " holds "
                        + minority.count());
            }
        }
        return p;
    }

    /**
     * Checks and returns the shared geometry.
     *
     * @throws InvalidSpecException listing every problem
     */
    public Geometry validate(ImageStack positive, ImageStack negative, ImageStack valPositive, ImageStack valNegative,
                             ImageStack testPositive, ImageStack testNegative) {
        problems(positive, negative, valPositive, valNegative, testPositive, testNegative).throwIfAny("dataset");
        return new Geometry(positive.height(), positive.width(), positive.bands());
    }
}
