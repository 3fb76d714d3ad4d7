package org.jbia.optimize.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the sampler and pruner need to know about one trial: its number (chronological order),
 * state, sampled parameters, final value (COMPLETE only) and intermediate values by step.
 */
public record TrialRecord(int number, TrialState state, Map<String, Object> params, Double value,
                          SortedMap<Integer, Double> intermediateValues) {

    public TrialRecord {
        if (state == null) {
            throw new IllegalArgumentException("trial " + number + ": state is required");
        }
        if (state == TrialState.COMPLETE && value == null) {
            throw new IllegalArgumentException("trial " + number + ": a COMPLETE trial needs a value");
        }
        // Values may be null (a categorical choice None), so no Map.copyOf.
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params == null ? Map.of() : params));
        intermediateValues = Collections.unmodifiableSortedMap(
                new TreeMap<>(intermediateValues == null ? Map.of() : intermediateValues));
    }

    public static TrialRecord complete(int number, Map<String, Object> params, double value) {
        return new TrialRecord(number, TrialState.COMPLETE, params, value, null);
    }

    public static TrialRecord running(int number, Map<String, Object> params) {
        return new TrialRecord(number, TrialState.RUNNING, params, null, null);
    }

    public static TrialRecord pruned(int number, Map<String, Object> params, Map<Integer, Double> intermediateValues) {
        return new TrialRecord(number, TrialState.PRUNED, params, null, new TreeMap<>(intermediateValues));
    }

    public static TrialRecord failed(int number, Map<String, Object> params) {
        return new TrialRecord(number, TrialState.FAIL, params, null, null);
    }

    /** The same trial with one more intermediate value (a progress report at {@code step}). */
    public TrialRecord withIntermediate(int step, double v) {
        TreeMap<Integer, Double> m = new TreeMap<>(intermediateValues);
        m.put(step, v);
        return new TrialRecord(number, state, params, value, m);
    }
}
