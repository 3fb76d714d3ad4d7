package org.jbia.optimize.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Makes a parameter conditional: it is present in a trial only when the parameter {@code parent}
 * is present and took one of {@code values} (e.g. {@code momentum} only when {@code optimizer} is
 * {@code sgd}, {@code filter_3} only when {@code num_conv_layers} is 3).
 */
public record Condition(String parent, List<Object> values) {
    public Condition {
        // values may hold null (a categorical choice such as model_reg = None), so no List.copyOf.
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** Whether {@code parentValue}, the value the parent took, satisfies this condition. */
    public boolean acceptsValue(Object parentValue) {
        for (Object v : values) {
            if (Values.same(v, parentValue)) {
                return true;
            }
        }
        return false;
    }
}
