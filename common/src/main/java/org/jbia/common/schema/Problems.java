package org.jbia.common.schema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Collects every problem of a submission so that the user hears them all at once. Each message
 * names the field, the value given and what is allowed.
 */
public final class Problems {
    private final List<String> messages = new ArrayList<>();

    public Problems add(String field, Object value, String allowed) {
        messages.add(field + " = " + render(value) + " is not allowed: " + allowed);
        return this;
    }

    public Problems addMessage(String message) {
        messages.add(message);
        return this;
    }

    public Problems addAll(Collection<String> others) {
        messages.addAll(others);
        return this;
    }

    public Problems requirePositive(String field, Number value) {
        if (value != null && value.doubleValue() <= 0) {
            add(field, value, "it must be > 0");
        }
        return this;
    }

    public Problems requireNonNegative(String field, Number value) {
        if (value != null && value.doubleValue() < 0) {
            add(field, value, "it must be >= 0");
        }
        return this;
    }

    public Problems requireOneOf(String field, String value, Collection<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            add(field, value, "expected one of " + String.join(", ", allowed));
        }
        return this;
    }

    public Problems requireInRange(String field, Number value, double min, double max) {
        if (value != null && (value.doubleValue() < min || value.doubleValue() > max || Double.isNaN(value.doubleValue()))) {
            add(field, value, "it must lie in [" + min + ", " + max + "]");
        }
        return this;
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** Throws {@link InvalidSpecException} listing every problem, if there is any. */
    public void throwIfAny(String what) {
        if (!messages.isEmpty()) {
            throw new InvalidSpecException(what, messages());
        }
    }

    private static String render(Object value) {
        if (value instanceof double[] d) {
            return java.util.Arrays.toString(d);
        }
        if (value instanceof int[] i) {
            return java.util.Arrays.toString(i);
        }
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        return String.valueOf(value);
    }
}
