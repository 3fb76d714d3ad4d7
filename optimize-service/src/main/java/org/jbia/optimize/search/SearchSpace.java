package org.jbia.optimize.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.Problems;

/**
 * The parameters a study tunes, in sampling order: a conditional parameter comes after its parent,
 * so a sampler can decide whether it is present from the values already drawn in the same trial.
 * Build it with {@link #builder()} or {@link #fromDescription(Map)}; both validate everything and
 * throw {@link InvalidSpecException} naming each offending parameter.
 */
public final class SearchSpace {
    private static final Set<String> FLOAT_KEYS = Set.of("type", "low", "high", "log", "step", "when");
    private static final Set<String> INT_KEYS = Set.of("type", "low", "high", "log", "step", "when");
    private static final Set<String> CATEGORICAL_KEYS = Set.of("type", "choices", "when");

    private final List<Param> params;
    private final Map<String, Param> byName;

    private SearchSpace(List<Param> params) {
        this.params = List.copyOf(params);
        Map<String, Param> map = new LinkedHashMap<>();
        for (Param p : params) {
            map.put(p.name(), p);
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The parameters in sampling order. */
    public List<Param> params() {
        return params;
    }

    /** The parameter called {@code name}, or null. */
    public Param param(String name) {
        return byName.get(name);
    }

    /** Whether {@code p} is present given the values {@code assigned} so far in the same trial. */
    public boolean isActive(Param p, Map<String, Object> assigned) {
        Condition c = p.condition();
        if (c == null) {
            return true;
        }
        // A parent that is itself absent makes the child absent.
        return assigned.containsKey(c.parent()) && c.acceptsValue(assigned.get(c.parent()));
    }

    /**
     * Checks a set of values (fixed or enqueued parameters, a stored best trial): every name must be a
     * parameter of this space, every value in its domain, and no parameter may be given while its
     * condition does not hold. Missing parameters are allowed. Throws {@link InvalidSpecException}.
     */
    public void checkValues(Map<String, ?> values) {
        Problems problems = new Problems();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            Param p = byName.get(e.getKey());
            if (p == null) {
                problems.add("parameter '" + e.getKey() + "'", e.getValue(),
                        "unknown parameter; expected one of " + String.join(", ", byName.keySet()));
            } else if (!p.contains(e.getValue())) {
                problems.add(p.name(), e.getValue(), domain(p));
            } else if (p.condition() != null) {
                Condition c = p.condition();
                Object parent = values.get(c.parent());
                if (values.containsKey(c.parent()) && !c.acceptsValue(parent)) {
                    problems.add(p.name(), e.getValue(), "only present when " + c.parent() + " is one of " + c.values()
                            + ", but " + c.parent() + " = " + parent);
                }
            }
        }
        problems.throwIfAny("parameter values");
    }

    /** A readable statement of a parameter's domain, for error messages. */
    static String domain(Param p) {
        if (p instanceof FloatParam f) {
            return "expected a float in [" + f.low() + ", " + f.high() + "]" + (f.log() ? " (log)" : "")
                    + (f.step() != null ? " on steps of " + f.step() + " from " + f.low() : "");
        }
        if (p instanceof IntParam i) {
            return "expected an int in [" + i.low() + ", " + i.high() + "]"
                    + (i.step() != 1 ? " on steps of " + i.step() + " from " + i.low() : "");
        }
        return "expected one of " + ((CategoricalParam) p).choices();
    }

    /**
     * Builds a space from a map name → description, as a JSON study spec gives it, e.g.
     * <pre>{"lr": {"type": "float", "low": 1e-6, "high": 1e-3, "log": true},
     *  "optimizer": {"type": "categorical", "choices": ["sgd", "adam"]},
     *  "momentum": {"type": "float", "low": 0, "high": 1, "step": 0.001, "when": {"optimizer": ["sgd"]}}}</pre>
     * Map iteration order is the sampling order (use a LinkedHashMap or a JSON object).
     */
    public static SearchSpace fromDescription(Map<String, ?> description) {
        Problems problems = new Problems();
        Builder builder = builder();
        for (Map.Entry<String, ?> e : description.entrySet()) {
            String name = e.getKey();
            if (!(e.getValue() instanceof Map<?, ?> d)) {
                problems.add(name, e.getValue(), "expected an object with a 'type' (float, int or categorical)");
                continue;
            }
            Param p = describe(name, d, problems);
            if (p != null) {
                builder.add(p);
            }
        }
        problems.throwIfAny("search space");
        return builder.build();
    }

    private static Param describe(String name, Map<?, ?> d, Problems problems) {
        Object type = d.get("type");
        Set<String> allowed;
        if ("float".equals(type)) {
            allowed = FLOAT_KEYS;
        } else if ("int".equals(type)) {
            allowed = INT_KEYS;
        } else if ("categorical".equals(type)) {
            allowed = CATEGORICAL_KEYS;
        } else {
            problems.add(name + ".type", type, "expected one of float, int, categorical");
            return null;
        }
        int before = problems.messages().size();
        for (Object key : d.keySet()) {
            if (!allowed.contains(String.valueOf(key))) {
                problems.add(name + "." + key, d.get(key), "unknown key for a " + type
                        + " parameter; expected one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
        Param p;
        if ("categorical".equals(type)) {
            Object choices = d.get("choices");
            if (!(choices instanceof List<?> list)) {
                problems.add(name + ".choices", choices, "expected a list of choices");
                return null;
            }
            p = Param.categorical(name, list);
        } else {
            Double low = number(name + ".low", d.get("low"), problems);
            Double high = number(name + ".high", d.get("high"), problems);
            boolean log = Boolean.TRUE.equals(d.get("log"));
            if (d.containsKey("log") && !(d.get("log") instanceof Boolean)) {
                problems.add(name + ".log", d.get("log"), "expected true or false");
            }
            Double step = d.containsKey("step") ? number(name + ".step", d.get("step"), problems) : null;
            if (low == null || high == null || (d.containsKey("step") && step == null)) {
                return null;
            }
            if ("float".equals(type)) {
                p = new FloatParam(name, low, high, log, step, null);
            } else {
                int lo = integral(name + ".low", low, problems);
                int hi = integral(name + ".high", high, problems);
                int st = step == null ? 1 : integral(name + ".step", step, problems);
                p = new IntParam(name, lo, hi, st, log, null);
            }
        }
        Object when = d.get("when");
        if (when != null) {
            if (!(when instanceof Map<?, ?> w) || w.size() != 1 || !(w.values().iterator().next() instanceof List<?>)) {
                problems.add(name + ".when", when, "expected {\"<parent>\": [values...]}");
            } else {
                Map.Entry<?, ?> c = w.entrySet().iterator().next();
                p = withCondition(p, new Condition(String.valueOf(c.getKey()), new ArrayList<>((List<?>) c.getValue())));
            }
        }
        return problems.messages().size() == before ? p : null;
    }

    private static Param withCondition(Param p, Condition c) {
        if (p instanceof FloatParam f) {
            return new FloatParam(f.name(), f.low(), f.high(), f.log(), f.step(), c);
        }
        if (p instanceof IntParam i) {
            return new IntParam(i.name(), i.low(), i.high(), i.step(), i.log(), c);
        }
        CategoricalParam k = (CategoricalParam) p;
        return new CategoricalParam(k.name(), k.choices(), c);
    }

    private static Double number(String field, Object v, Problems problems) {
        if (v instanceof Number n && !(v instanceof Boolean)) {
            return n.doubleValue();
        }
        problems.add(field, v, "expected a number");
        return null;
    }

    private static int integral(String field, double v, Problems problems) {
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            problems.add(field, v, "expected an integer");
            return 0;
        }
        return (int) v;
    }

    /** Collects parameters in sampling order; {@link #build()} validates them all. */
    public static final class Builder {
        private final List<Param> params = new ArrayList<>();

        public Builder add(Param p) {
            params.add(p);
            return this;
        }

        /** Validates and builds; stepped ranges get their high trimmed to the last grid point. */
        public SearchSpace build() {
            Problems problems = new Problems();
            Map<String, Param> seen = new LinkedHashMap<>();
            List<Param> normalised = new ArrayList<>();
            for (Param p : params) {
                String name = p.name();
                if (name == null || name.isBlank()) {
                    problems.add("parameter name", name, "expected a non-empty name");
                    continue;
                }
                if (seen.containsKey(name)) {
                    problems.add(name, "defined twice", "each parameter name must be unique");
                    continue;
                }
                int before = problems.messages().size();
                Param checked = check(p, problems);
                checkCondition(p, seen, problems);
                seen.put(name, p);
                if (problems.messages().size() == before) {
                    normalised.add(checked);
                }
            }
            problems.throwIfAny("search space");
            return new SearchSpace(normalised);
        }

        private static Param check(Param p, Problems problems) {
            String n = p.name();
            if (p instanceof FloatParam f) {
                if (!Double.isFinite(f.low())) {
                    problems.add(n + ".low", f.low(), "expected a finite number");
                }
                if (!Double.isFinite(f.high())) {
                    problems.add(n + ".high", f.high(), "expected a finite number");
                }
                if (f.low() > f.high()) {
                    problems.add(n + ".low", f.low(), "it must be <= " + n + ".high (" + f.high() + ")");
                }
                if (f.log() && f.low() <= 0) {
                    problems.add(n + ".low", f.low(), "a log-scale parameter needs low > 0");
                }
                if (f.step() != null) {
                    if (!(f.step() > 0) || !Double.isFinite(f.step())) {
                        problems.add(n + ".step", f.step(), "it must be > 0");
                    } else if (f.log()) {
                        problems.add(n + ".step", f.step(), "step cannot be combined with log = true");
                    } else if (Double.isFinite(f.low()) && Double.isFinite(f.high()) && f.low() <= f.high()) {
                        return f.withHigh(Grid.trimHigh(f.low(), f.high(), f.step()));
                    }
                }
                return f;
            }
            if (p instanceof IntParam i) {
                if (i.low() > i.high()) {
                    problems.add(n + ".low", i.low(), "it must be <= " + n + ".high (" + i.high() + ")");
                }
                if (i.log() && i.low() <= 0) {
                    problems.add(n + ".low", i.low(), "a log-scale parameter needs low > 0");
                }
                if (i.step() <= 0) {
                    problems.add(n + ".step", i.step(), "it must be > 0");
                } else if (i.log() && i.step() != 1) {
                    problems.add(n + ".step", i.step(), "a log-scale int parameter must have step 1");
                } else if (i.low() <= i.high()) {
                    long k = ((long) i.high() - i.low()) / i.step();
                    return i.withHigh((int) (i.low() + k * i.step()));
                }
                return i;
            }
            CategoricalParam c = (CategoricalParam) p;
            if (c.choices().isEmpty()) {
                problems.add(n + ".choices", c.choices(), "expected at least one choice");
            }
            Set<Object> distinct = new HashSet<>();
            for (Object choice : c.choices()) {
                if (c.indexOf(choice) != c.choices().indexOf(choice) || !distinct.add(choice)) {
                    problems.add(n + ".choices", c.choices(), "choices must be distinct, " + choice + " repeats");
                    break;
                }
            }
            return c;
        }

        private static void checkCondition(Param p, Map<String, Param> earlier, Problems problems) {
            Condition c = p.condition();
            if (c == null) {
                return;
            }
            Param parent = earlier.get(c.parent());
            if (parent == null) {
                problems.add(p.name() + ".when", c.parent(), "the parent must be a parameter defined before "
                        + p.name() + "; defined so far: " + String.join(", ", earlier.keySet()));
                return;
            }
            if (c.values().isEmpty()) {
                problems.add(p.name() + ".when", c.values(), "expected at least one value of " + c.parent());
            }
            for (Object v : c.values()) {
                if (!parent.contains(v)) {
                    problems.add(p.name() + ".when." + c.parent(), v, "the parent " + domain(parent));
                }
            }
        }
    }
}
