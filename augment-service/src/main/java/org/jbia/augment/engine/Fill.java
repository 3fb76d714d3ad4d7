package org.jbia.augment.engine;

import java.util.Locale;

/** How a sample taken outside the image is filled (the seed's {@code fill}). */
enum Fill {
    /** Zero. */
    CONSTANT,
    /** The nearest edge pixel. */
    NEAREST,
    /** Mirror about the edge, edge pixel repeated: d c b a | a b c d | d c b a (scipy's 'reflect'). */
    REFLECT,
    /** Periodic: the image tiles the plane. */
    WRAP;

    static Fill of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The index read for {@code i} on an axis of length {@code n}, or -1 for "use zero". */
    int index(int i, int n) {
        if (i >= 0 && i < n) {
            return i;
        }
        switch (this) {
            case CONSTANT:
                return -1;
            case NEAREST:
                return i < 0 ? 0 : n - 1;
            case REFLECT: {
                int period = 2 * n;
                int m = Math.floorMod(i, period);
                return m < n ? m : period - 1 - m;
            }
            default:
                return Math.floorMod(i, n);
        }
    }
}
