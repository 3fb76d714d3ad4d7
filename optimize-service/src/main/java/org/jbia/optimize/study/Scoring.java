package org.jbia.optimize.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbia.common.schema.study.OptimizeSpec;
import org.jbia.optimize.search.TrialState;

/**
 * A trial's score, pyBIA's (spec §5.4), to be maximised. For a metric m over the folds:
 * mean over epochs of m (average) or its last value, averaged over folds, 1 − that for a loss, then
 * averaged with the test metric when there is one. For "all": the mean of A = mean(binary_accuracy,
 * f1_score) and L = 1 − loss, each averaged over folds, and the test metric when there is one (pyBIA's
 * list mixed lengths there, §9.22). A fold stopped early, or whose test accuracy is below
 * test_acc_threshold, prunes the trial with the reason; a non-finite loss fails it.
 */
public final class Scoring {

    /** What one fold's run produced. */
    public record FoldResult(List<Map<String, Double>> history, int epochsRun, String stopReason,
                             Map<String, Double> metrics) {
    }

    /** The verdict on a trial: COMPLETE with a value, PRUNED or FAIL with a reason. */
    public record Outcome(TrialState state, Double value, String reason) {
        static Outcome complete(double value) {
            return new Outcome(TrialState.COMPLETE, value, null);
        }

        static Outcome pruned(String reason) {
            return new Outcome(TrialState.PRUNED, null, reason);
        }

        static Outcome failed(String reason) {
            return new Outcome(TrialState.FAIL, null, reason);
        }
    }

    private Scoring() {
    }

    /**
     * The verdict on one fold as soon as it ends: pruned, failed, or null when it passes. pyBIA checks
     * each fold as it ends and rejects the trial at the first bad one.
     */
    public static Outcome checkFold(OptimizeSpec o, FoldResult fold, boolean hasTest, int fold1Based) {
        String where = fold1Based > 0 ? " (fold " + fold1Based + ")" : "";
        List<Map<String, Double>> h = fold.history();
        for (int e = 0; e < h.size(); e++) {
            Double loss = h.get(e).get("loss");
            if (loss != null && !Double.isFinite(loss)) {
                return Outcome.failed("non-finite loss " + loss + " at epoch " + (e + 1) + where);
            }
        }
        if ("non_finite_loss".equals(fold.stopReason())) {
            return Outcome.failed("non-finite loss at epoch " + fold.epochsRun() + where);
        }
        StoppingRules.Stop stop = StoppingRules.firstStop(o, h, o.trainEpochs());
        if (stop != null) {
            return Outcome.pruned(stop.reason() + where);
        }
        if (fold.epochsRun() < o.trainEpochs()) {
            return Outcome.pruned("stopped after " + fold.epochsRun() + " of " + o.trainEpochs() + " epochs ("
                    + fold.stopReason() + ")" + where);
        }
        if (hasTest && o.testAccThreshold() != null) {
            Double accuracy = fold.metrics().get("test_binary_accuracy");
            if (accuracy == null) {
                return Outcome.failed("test_acc_threshold is set but the trainer reported no test_binary_accuracy"
                        + where);
            }
            if (accuracy < o.testAccThreshold()) {
                return Outcome.pruned("test accuracy " + StoppingRules.format(accuracy) + " < test_acc_threshold "
                        + o.testAccThreshold() + where);
            }
        }
        return null;
    }

    /** The verdict on a trial whose folds all ended: the first bad fold's, or the score. */
    public static Outcome score(OptimizeSpec o, List<FoldResult> folds, boolean hasTest) {
        for (int k = 0; k < folds.size(); k++) {
            Outcome bad = checkFold(o, folds.get(k), hasTest, folds.size() > 1 ? k + 1 : 0);
            if (bad != null) {
                return bad;
            }
        }
        List<List<Map<String, Double>>> histories = folds.stream().map(FoldResult::history).toList();
        Double testMetric = hasTest && o.postMetric() ? testMetric(o, folds) : null;
        double value;
        String metric = o.metric();
        if (metric.endsWith("all")) {
            String prefix = metric.startsWith("val_") ? "val_" : "";
            double a = meanOverFolds(histories, prefix + "binary_accuracy", o.average()) / 2
                    + meanOverFolds(histories, prefix + "f1_score", o.average()) / 2;
            double l = 1 - meanOverFolds(histories, prefix + "loss", o.average());
            value = testMetric == null ? (a + l) / 2 : (a + l + testMetric) / 3;
        } else {
            double s = meanOverFolds(histories, metric, o.average());
            if (metric.contains("loss")) {
                s = 1 - s;
            }
            value = testMetric == null ? s : (s + testMetric) / 2;
        }
        if (!Double.isFinite(value)) {
            return Outcome.failed("the score is " + value + " (a metric was missing or not finite)");
        }
        return Outcome.complete(value);
    }

    /**
     * The score the trial would have if it ended after the epochs in {@code history}: the intermediate
     * value reported to the pruner and the sampler, without the test metric.
     */
    public static double intermediate(OptimizeSpec o, List<Map<String, Double>> history) {
        List<List<Map<String, Double>>> one = List.of(history);
        String metric = o.metric();
        if (metric.endsWith("all")) {
            String prefix = metric.startsWith("val_") ? "val_" : "";
            double a = meanOverFolds(one, prefix + "binary_accuracy", o.average()) / 2
                    + meanOverFolds(one, prefix + "f1_score", o.average()) / 2;
            return (a + 1 - meanOverFolds(one, prefix + "loss", o.average())) / 2;
        }
        double s = meanOverFolds(one, metric, o.average());
        return metric.contains("loss") ? 1 - s : s;
    }

    private static double meanOverFolds(List<List<Map<String, Double>>> folds, String metric, boolean average) {
        double sum = 0;
        for (List<Map<String, Double>> history : folds) {
            List<Double> values = new ArrayList<>();
            for (Map<String, Double> epoch : history) {
                Double v = epoch.get(metric);
                values.add(v == null ? Double.NaN : v);
            }
            if (values.isEmpty()) {
                return Double.NaN;
            }
            sum += average ? values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)
                    : values.get(values.size() - 1);
        }
        return sum / folds.size();
    }

    /** pyBIA's post_metric, from each fold's model on the test set, averaged over folds. */
    private static Double testMetric(OptimizeSpec o, List<FoldResult> folds) {
        double sum = 0;
        for (FoldResult fold : folds) {
            Double loss = fold.metrics().get("test_loss");
            Double accuracy = fold.metrics().get("test_binary_accuracy");
            Double f1 = fold.metrics().get("test_f1_score");
            double t;
            if (o.metric().endsWith("all")) {
                t = loss == null || accuracy == null || f1 == null ? Double.NaN : (1 - loss + accuracy + f1) / 3;
            } else if (o.metric().contains("loss")) {
                t = loss == null ? Double.NaN : 1 - loss;
            } else if (o.metric().contains("binary_accuracy")) {
                t = accuracy == null ? Double.NaN : accuracy;
            } else {
                t = f1 == null ? Double.NaN : f1;
            }
            sum += t;
        }
        return sum / folds.size();
    }
}
