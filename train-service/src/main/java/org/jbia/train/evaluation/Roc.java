package org.jbia.train.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** ROC analysis of the scores of a positive and a negative set. */
public final class Roc {

    private Roc() {
    }

    /**
     * Evaluates scores P(positive).
     *
     * @param positive  scores of the positive images
     * @param negative  scores of the negative images
     * @param threshold decision threshold for the confusion matrix: positive when p > threshold
     */
    public static Evaluation evaluate(float[] positive, float[] negative, double threshold) {
        if (positive.length == 0 || negative.length == 0) {
            throw new IllegalArgumentException("ROC analysis needs both classes: got " + positive.length
                    + " positive and " + negative.length + " negative scores");
        }
        int tp = 0;
        for (float p : positive) {
            if (p > threshold) {
                tp++;
            }
        }
        int fp = 0;
        for (float n : negative) {
            if (n > threshold) {
                fp++;
            }
        }
        int fn = positive.length - tp;
        int tn = negative.length - fp;
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = (double) tp / positive.length;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        double[][] curve = curve(positive, negative);
        return new Evaluation(positive.length, negative.length, auroc(positive, negative),
                tprAtFalsePositives(positive, negative, 0), tprAtFalsePositives(positive, negative, 10), threshold,
                tp, fp, tn, fn, (double) (tp + tn) / (positive.length + negative.length), precision, recall, f1,
                curve[0], curve[1], curve[2]);
    }

    /** Mann-Whitney AUROC: P(score of a random positive > score of a random negative), ties counting 1/2. */
    public static double auroc(float[] positive, float[] negative) {
        float[] neg = negative.clone();
        Arrays.sort(neg);
        double sum = 0;
        for (float p : positive) {
            int below = lowerBound(neg, p);
            int notAbove = upperBound(neg, p);
            sum += below + 0.5 * (notAbove - below);
        }
        return sum / ((double) positive.length * negative.length);
    }

    /**
     * The largest fraction of positives that can be called positive (score ≥ t) by a threshold t that
     * lets at most {@code maxFalsePositives} negatives through.
     */
    public static double tprAtFalsePositives(float[] positive, float[] negative, int maxFalsePositives) {
        if (negative.length <= maxFalsePositives) {
            return 1.0;
        }
        float[] neg = negative.clone();
        Arrays.sort(neg);
        // the (k+1)-th highest negative must stay below the threshold: count positives strictly above it
        float limit = neg[neg.length - 1 - maxFalsePositives];
        int above = 0;
        for (float p : positive) {
            if (p > limit) {
                above++;
            }
        }
        return (double) above / positive.length;
    }

    /** The ROC curve: one point per distinct score, thresholds descending. */
    static double[][] curve(float[] positive, float[] negative) {
        int n = positive.length + negative.length;
        float[] scores = new float[n];
        boolean[] isPositive = new boolean[n];
        System.arraycopy(positive, 0, scores, 0, positive.length);
        System.arraycopy(negative, 0, scores, positive.length, negative.length);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            isPositive[i] = i < positive.length;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, 0, Double.POSITIVE_INFINITY});
        int tp = 0;
        int fp = 0;
        for (int i = 0; i < n; i++) {
            if (isPositive[order[i]]) {
                tp++;
            } else {
                fp++;
            }
            if (i == n - 1 || scores[order[i + 1]] != scores[order[i]]) {
                points.add(new double[] {(double) fp / negative.length, (double) tp / positive.length,
                        scores[order[i]]});
            }
        }
        double[][] out = new double[3][points.size()];
        for (int i = 0; i < points.size(); i++) {
            out[0][i] = points.get(i)[0];
            out[1][i] = points.get(i)[1];
            out[2][i] = points.get(i)[2];
        }
        return out;
    }

    private static int lowerBound(float[] sorted, float v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(float[] sorted, float v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
