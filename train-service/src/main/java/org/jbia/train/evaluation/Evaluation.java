package org.jbia.train.evaluation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Arrays;

/**
 * A classifier's scores on a labelled set, summarised.
 *
 * @param auroc          area under the ROC curve (ties count one half)
 * @param tpr0           the largest true-positive rate reachable with no false positive
 * @param tpr10          the largest true-positive rate reachable with at most 10 false positives
 * @param threshold      the decision threshold of the confusion matrix (positive when p > threshold)
 * @param rocFpr         ROC curve: false-positive rates, from (0, 0) to (1, 1)
 * @param rocTpr         ROC curve: true-positive rates
 * @param rocThresholds  ROC curve: the score at each point (positive when p >= it); +inf for (0, 0)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Evaluation(int positives, int negatives, double auroc, double tpr0, double tpr10, double threshold,
                         int truePositives, int falsePositives, int trueNegatives, int falseNegatives,
                         double accuracy, double precision, double recall, double f1,
                         double[] rocFpr, double[] rocTpr, double[] rocThresholds) {

    @Override
    public boolean equals(Object o) {
        return o instanceof Evaluation e && e.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "Evaluation[positives=" + positives + ", negatives=" + negatives + ", auroc=" + auroc + ", tpr0=" + tpr0
                + ", tpr10=" + tpr10 + ", threshold=" + threshold + ", tp=" + truePositives + ", fp=" + falsePositives
                + ", tn=" + trueNegatives + ", fn=" + falseNegatives + ", roc_fpr=" + Arrays.toString(rocFpr)
                + ", roc_tpr=" + Arrays.toString(rocTpr) + ", roc_thresholds=" + Arrays.toString(rocThresholds) + "]";
    }
}
