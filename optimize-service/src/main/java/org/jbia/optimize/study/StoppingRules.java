package org.jbia.optimize.study;

import java.util.List;
import java.util.Map;
import org.jbia.common.schema.study.OptimizeSpec;

/**
 * The rules that end a trial before its train_epochs (spec §5.5), evaluated on its per-epoch
 * metrics: Keras' EarlyStopping with optimize.patience on the stopping metric, on metric2 and on
 * metric3 (only when patience &gt; 0, as pyBIA), and pyBIA's Monitor_Tracker on monitor1 and monitor2
 * (a loss stops at or below its threshold, any other metric above it). pyBIA scores such a trial
 * −999; here it is pruned with the reason this class gives.
 */
public final class StoppingRules {

    /** Which rule stopped the trial, at which epoch (from 1). */
    public record Stop(int epoch, String reason) {
    }

    private StoppingRules() {
    }

    /**
     * The first rule to fire over {@code history} (one map of metrics per epoch), if it fires before
     * the last planned epoch; a rule firing at the last epoch ends nothing (pyBIA's rule: a trial is
     * rejected when it ran fewer than train_epochs).
     */
    public static Stop firstStop(OptimizeSpec o, List<Map<String, Double>> history, int plannedEpochs) {
        Stop first = null;
        if (o.patience() > 0) {
            first = earlier(first, patience(o.stoppingMetric(), "metric", o.patience(), history));
            first = earlier(first, patience(o.metric2(), "metric2", o.patience(), history));
            first = earlier(first, patience(o.metric3(), "metric3", o.patience(), history));
        }
        first = earlier(first, monitor("monitor1", o.monitor1(), o.monitor1Thresh(), history));
        first = earlier(first, monitor("monitor2", o.monitor2(), o.monitor2Thresh(), history));
        return first != null && first.epoch() < plannedEpochs ? first : null;
    }

    private static Stop earlier(Stop a, Stop b) {
        if (a == null) {
            return b;
        }
        return b != null && b.epoch() < a.epoch() ? b : a;
    }

    /** Keras' EarlyStopping (min_delta 0): stop once {@code patience} epochs in a row fail to improve. */
    static Stop patience(String metric, String field, int patience, List<Map<String, Double>> history) {
        if (metric == null) {
            return null;
        }
        boolean minimise = metric.contains("loss");
        double best = minimise ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        int wait = 0;
        for (int e = 0; e < history.size(); e++) {
            Double v = history.get(e).get(metric);
            if (v == null) {
                return null;
            }
            if (minimise ? v < best : v > best) {
                best = v;
                bestEpoch = e + 1;
                wait = 0;
            } else {
                wait++;
            }
            if (wait >= patience) {
                return new Stop(e + 1, "early stopping: " + field + " " + metric + " did not improve for " + patience
                        + " epochs (best " + format(best) + " at epoch " + bestEpoch + ")");
            }
        }
        return null;
    }

    static Stop monitor(String name, String metric, Double threshold, List<Map<String, Double>> history) {
        if (metric == null || threshold == null) {
            return null;
        }
        boolean loss = metric.contains("loss");
        for (int e = 0; e < history.size(); e++) {
            Double v = history.get(e).get(metric);
            if (v == null) {
                return null;
            }
            if (loss ? v <= threshold : v > threshold) {
                return new Stop(e + 1, name + ": " + metric + " = " + format(v) + (loss ? " <= " : " > ")
                        + format(threshold) + " at epoch " + (e + 1));
            }
        }
        return null;
    }

    static String format(double v) {
        return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.4g", v) : Double.toString(v);
    }
}
