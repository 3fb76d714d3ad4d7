package org.jbia.optimize.search;

import java.util.Objects;

/** Equality of parameter values that tolerates the number types JSON decoding produces (1, 1L, 1.0). */
final class Values {
    private Values() {
    }

    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y && !(a instanceof Boolean) && !(b instanceof Boolean)) {
            return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        return Objects.equals(a, b);
    }
}
