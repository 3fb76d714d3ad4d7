package org.jbia.train.bundle;

/**
 * Predictions for a stack of images.
 *
 * @param probabilities P(positive) per image
 * @param labels        1 where the probability exceeds the threshold, else 0
 */
public record Prediction(float[] probabilities, int[] labels, double threshold) {
}
