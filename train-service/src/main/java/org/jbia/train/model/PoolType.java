package org.jbia.train.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/** pyBIA's pooling choices; min pooling is −maxpool(−x). */
public enum PoolType {
    MAX("max"), AVERAGE("average"), MIN("min");

    public static final List<String> NAMES = List.of("max", "average", "min");

    private final String pyName;

    PoolType(String pyName) {
        this.pyName = pyName;
    }

    @JsonValue
    public String pyName() {
        return pyName;
    }

    @JsonCreator
    public static PoolType of(String name) {
        for (PoolType t : values()) {
            if (t.pyName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("pooling '" + name + "' is not one of " + NAMES);
    }
}
