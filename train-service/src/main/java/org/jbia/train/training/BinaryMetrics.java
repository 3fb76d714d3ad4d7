package org.jbia.train.training;

/**
 * Keras' per-epoch metrics on one sigmoid output, computed over all images of the epoch at once
 * (pyBIA's f1_score averaged per-batch values over both output units; here it is the F1 of the
 * positive class over the whole epoch). An image counts as positive when p > 0.5, as in Keras.
 */
public final class BinaryMetrics {
    public static final double THRESHOLD = 0.5;

    private BinaryMetrics() {
    }

    public static double accuracy(float[] probabilities, float[] labels) {
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            if ((probabilities[i] > THRESHOLD) == (labels[i] > 0.5)) {
                right++;
            }
        }
        return labels.length == 0 ? Double.NaN : (double) right / labels.length;
    }

    /** F1 of the positive class; 0 when there is no true positive. */
    public static double f1(float[] probabilities, float[] labels) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean predicted = probabilities[i] > THRESHOLD;
            boolean actual = labels[i] > 0.5;
            if (predicted && actual) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (actual) {
                fn++;
            }
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
}
