package org.jbia.optimize.search;

import java.util.Arrays;

/**
 * A float parameter on [low, high]: uniform, uniform in log space ({@code log}), or on a grid of
 * {@code step} (null for none). Optuna does not allow log together with step, and neither do we.
 */
public record FloatParam(String name, double low, double high, boolean log, Double step, Condition condition)
        implements Param {

    @Override
    public boolean contains(Object value) {
        if (!(value instanceof Number n) || value instanceof Boolean) {
            return false;
        }
        double v = n.doubleValue();
        if (!(v >= low && v <= high)) {
            return false;
        }
        return step == null || Grid.onGrid(v, low, step);
    }

    @Override
    public FloatParam when(String parent, Object... values) {
        return new FloatParam(name, low, high, log, step, new Condition(parent, Arrays.asList(values)));
    }

    FloatParam withHigh(double newHigh) {
        return new FloatParam(name, low, newHigh, log, step, condition);
    }
}
