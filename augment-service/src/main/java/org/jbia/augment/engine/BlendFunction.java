package org.jbia.augment.engine;

import java.util.Locale;

/** How the chosen images are combined into one blend (the seed's {@code blending_func}). */
enum BlendFunction {
    /** The equal-weight mean of all chosen images (pyBIA folded pairwise, then divided by k again). */
    MEAN,
    /** Pixel-wise maximum. */
    MAX,
    /** Pixel-wise minimum. */
    MIN,
    /** One of the three above, drawn per blend from the seed (pyBIA drew it unseeded). */
    RANDOM;

    static BlendFunction of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
