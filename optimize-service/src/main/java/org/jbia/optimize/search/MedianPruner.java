package org.jbia.optimize.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jbia.common.schema.Problems;

/**
 * Optuna 3.1's {@code MedianPruner}: after {@code nStartupTrials} trials have completed, and from
 * step {@code nWarmupSteps} on (checked every {@code intervalSteps}), a trial is pruned when its
 * best intermediate value so far is worse than the median of the completed trials' values at its
 * latest step. A trial whose values are all NaN is pruned; with fewer than {@code nMinTrials}
 * completed values at that step nothing is decided. Studies use {@link Pruner#NONE} unless they ask
 * for this one.
 */
public final class MedianPruner implements Pruner {
    private final Direction direction;
    private final int nStartupTrials;
    private final int nWarmupSteps;
    private final int intervalSteps;
    private final int nMinTrials;

    /** Optuna's defaults: 5 start-up trials, no warm-up, every step, at least one value to compare. */
    public MedianPruner(Direction direction) {
        this(direction, 5, 0, 1, 1);
    }

    public MedianPruner(Direction direction, int nStartupTrials, int nWarmupSteps, int intervalSteps, int nMinTrials) {
        Problems problems = new Problems();
        if (direction == null) {
            problems.add("direction", null, "expected MINIMIZE or MAXIMIZE");
        }
        problems.requireNonNegative("n_startup_trials", nStartupTrials);
        problems.requireNonNegative("n_warmup_steps", nWarmupSteps);
        if (intervalSteps < 1) {
            problems.add("interval_steps", intervalSteps, "it must be >= 1");
        }
        if (nMinTrials < 1) {
            problems.add("n_min_trials", nMinTrials, "it must be >= 1");
        }
        problems.throwIfAny("median pruner");
        this.direction = direction;
        this.nStartupTrials = nStartupTrials;
        this.nWarmupSteps = nWarmupSteps;
        this.intervalSteps = intervalSteps;
        this.nMinTrials = nMinTrials;
    }

    @Override
    public boolean shouldPrune(TrialRecord trial, List<TrialRecord> history) {
        List<TrialRecord> completed = new ArrayList<>();
        for (TrialRecord t : history) {
            if (t.state() == TrialState.COMPLETE && t.number() != trial.number()) {
                completed.add(t);
            }
        }
        if (completed.isEmpty() || completed.size() < nStartupTrials || trial.intermediateValues().isEmpty()) {
            return false;
        }
        int step = trial.intermediateValues().lastKey();
        if (step < nWarmupSteps || !firstInInterval(trial, step)) {
            return false;
        }
        double best = Double.NaN;
        for (double v : trial.intermediateValues().values()) {
            if (!Double.isNaN(v) && (Double.isNaN(best) || direction.isBetter(v, best))) {
                best = v;
            }
        }
        if (Double.isNaN(best)) {
            return true;
        }
        List<Double> atStep = new ArrayList<>();
        for (TrialRecord t : completed) {
            Double v = t.intermediateValues().get(step);
            if (v != null) {
                atStep.add(v);
            }
        }
        if (atStep.size() < nMinTrials) {
            return false;
        }
        double median = median(atStep);
        return !Double.isNaN(median) && direction.isBetter(median, best);
    }

    /** Whether {@code step} is the first report at or after the latest pruning checkpoint (Optuna's interval rule). */
    private boolean firstInInterval(TrialRecord trial, int step) {
        int checkpoint = (step - nWarmupSteps) / intervalSteps * intervalSteps + nWarmupSteps;
        int previous = -1;
        for (int s : trial.intermediateValues().keySet()) {
            if (s != step && s > previous) {
                previous = s;
            }
        }
        return previous < checkpoint;
    }

    /** The median of the non-NaN values, interpolating between the middle two (np.nanpercentile(…, 50)). */
    private static double median(List<Double> values) {
        List<Double> v = new ArrayList<>();
        for (double x : values) {
            if (!Double.isNaN(x)) {
                v.add(x);
            }
        }
        if (v.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : 0.5 * (v.get(n / 2 - 1) + v.get(n / 2));
    }
}
