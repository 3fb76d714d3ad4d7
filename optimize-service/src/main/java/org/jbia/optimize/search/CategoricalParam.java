package org.jbia.optimize.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** A parameter taking one of {@code choices} (strings, booleans, numbers or null). */
public record CategoricalParam(String name, List<Object> choices, Condition condition) implements Param {

    public CategoricalParam {
        // choices may hold null, so no List.copyOf.
        choices = Collections.unmodifiableList(new ArrayList<>(choices == null ? List.of() : choices));
    }

    /** Index of {@code value} among the choices, or -1. Numbers match numerically (JSON gives 1, 1L or 1.0). */
    public int indexOf(Object value) {
        for (int i = 0; i < choices.size(); i++) {
            if (Values.same(choices.get(i), value)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean contains(Object value) {
        return indexOf(value) >= 0;
    }

    @Override
    public CategoricalParam when(String parent, Object... values) {
        return new CategoricalParam(name, choices, new Condition(parent, Arrays.asList(values)));
    }
}
