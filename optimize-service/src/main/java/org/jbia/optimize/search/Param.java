package org.jbia.optimize.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One dimension of a {@link SearchSpace}: a float, int or categorical parameter, optionally
 * {@linkplain Condition conditional} on another parameter. Instances are only descriptions; the
 * checks (min &gt; max, empty choices, log with min &le; 0, ...) run in
 * {@link SearchSpace.Builder#build()} so that every problem is reported at once.
 */
public sealed interface Param permits FloatParam, IntParam, CategoricalParam {

    String name();

    /** The condition for the parameter to be present, or null when it is always present. */
    Condition condition();

    /** Whether {@code value} is a value this parameter can take (in range and on its grid). */
    boolean contains(Object value);

    /** A copy present only when {@code parent} took one of {@code values}. */
    Param when(String parent, Object... values);

    /** Float uniform on [low, high]. */
    static FloatParam uniform(String name, double low, double high) {
        return new FloatParam(name, low, high, false, null, null);
    }

    /** Float uniform in log space on [low, high]; low must be &gt; 0. */
    static FloatParam logUniform(String name, double low, double high) {
        return new FloatParam(name, low, high, true, null, null);
    }

    /** Float on the grid low, low + step, ...; high is trimmed to the last grid point as Optuna does. */
    static FloatParam stepped(String name, double low, double high, double step) {
        return new FloatParam(name, low, high, false, step, null);
    }

    /** Integer in [low, high]. */
    static IntParam integer(String name, int low, int high) {
        return new IntParam(name, low, high, 1, false, null);
    }

    /** Integer on the grid low, low + step, ...; high is trimmed to the last grid point as Optuna does. */
    static IntParam integer(String name, int low, int high, int step) {
        return new IntParam(name, low, high, step, false, null);
    }

    /** Integer in [low, high], uniform in log space; low must be &gt; 0. */
    static IntParam logInteger(String name, int low, int high) {
        return new IntParam(name, low, high, 1, true, null);
    }

    /** One of {@code choices} (null is allowed as a choice, as pyBIA's {@code model_reg = None}). */
    static CategoricalParam categorical(String name, Object... choices) {
        return new CategoricalParam(name, Arrays.asList(choices), null);
    }

    /** One of {@code choices}. */
    static CategoricalParam categorical(String name, List<?> choices) {
        return new CategoricalParam(name, choices == null ? null : new ArrayList<Object>(choices), null);
    }
}
