package org.jbia.train.model;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jbia.common.schema.Problems;

/**
 * Reads a network's options (TrainSpec.network) under pyBIA's names, falling back to the network's
 * defaults, and records a problem for every value of the wrong type or out of range and for every
 * key the network does not know.
 */
final class OptionReader {
    private final Map<String, Object> raw;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();

    OptionReader(Map<String, Object> raw, Problems problems) {
        this.raw = raw == null ? Map.of() : raw;
        this.problems = problems;
    }

    int integer(String key, int fallback, int min) {
        known.add(key);
        Object v = raw.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() >= min
                && n.doubleValue() <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        problems.add("network." + key, v, "an integer >= " + min);
        return fallback;
    }

    double number(String key, double fallback, double min, double maxExclusive) {
        known.add(key);
        Object v = raw.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() >= min && n.doubleValue() < maxExclusive) {
            return n.doubleValue();
        }
        problems.add("network." + key, v, "a number in [" + min + ", " + maxExclusive + ")");
        return fallback;
    }

    String choice(String key, String fallback, List<String> allowed) {
        known.add(key);
        Object v = raw.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof String s && allowed.contains(s)) {
            return s;
        }
        problems.add("network." + key, v, "expected one of " + String.join(", ", allowed));
        return fallback;
    }

    /** A pooling choice; "none" means no pooling layer (null). */
    PoolType pooling(String key, PoolType fallback) {
        List<String> allowed = List.of("max", "average", "min", "none");
        String name = choice(key, fallback == null ? "none" : fallback.pyName(), allowed);
        return "none".equals(name) ? null : PoolType.of(name);
    }

    /** Records a problem for each key that no read asked for. */
    void rejectUnknown(String clf) {
        Set<String> unknown = new TreeSet<>(raw.keySet());
        unknown.removeAll(known);
        for (String key : unknown) {
            problems.add("network." + key, raw.get(key), "not an option of " + clf + "; its options are "
                    + String.join(", ", known));
        }
    }
}
