package org.jbia.optimize.search;

import java.util.Arrays;

/** An integer parameter on low, low + step, ..., high; {@code log} samples uniformly in log space (step 1 only). */
public record IntParam(String name, int low, int high, int step, boolean log, Condition condition) implements Param {

    @Override
    public boolean contains(Object value) {
        if (!(value instanceof Number n) || value instanceof Boolean) {
            return false;
        }
        double v = n.doubleValue();
        if (v != Math.rint(v) || v < low || v > high) {
            return false;
        }
        return ((long) v - low) % step == 0;
    }

    @Override
    public IntParam when(String parent, Object... values) {
        return new IntParam(name, low, high, step, log, new Condition(parent, Arrays.asList(values)));
    }

    IntParam withHigh(int newHigh) {
        return new IntParam(name, low, newHigh, step, log, condition);
    }
}
