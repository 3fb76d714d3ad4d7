package org.jbia.train.training;

import org.jbia.common.array.ImageStack;

/**
 * The images of one training run, N×H×W×C each. Validation and test pairs are optional (null);
 * either image of a pair may be null when only one class is available for it.
 */
public record TrainingData(ImageStack positive, ImageStack negative, ImageStack valPositive, ImageStack valNegative,
                           ImageStack testPositive, ImageStack testNegative) {

    /** Training data only. */
    public static TrainingData of(ImageStack positive, ImageStack negative) {
        return new TrainingData(positive, negative, null, null, null, null);
    }

    public boolean hasValidation() {
        return valPositive != null || valNegative != null;
    }

    public boolean hasTest() {
        return testPositive != null || testNegative != null;
    }
}
