package org.jbia.optimize.search;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Decimal arithmetic for stepped parameters, so that grid values print as 0.3 rather than 0.30000000000000004. */
final class Grid {
    private Grid() {
    }

    /** The k-th grid point low + k·step. */
    static double point(double low, double step, long k) {
        return BigDecimal.valueOf(low).add(BigDecimal.valueOf(step).multiply(BigDecimal.valueOf(k))).doubleValue();
    }

    /** The largest grid point not above high (Optuna trims high the same way, e.g. lr 1e-6..1e-3 step 5e-6 → 9.96e-4). */
    static double trimHigh(double low, double high, double step) {
        BigDecimal range = BigDecimal.valueOf(high).subtract(BigDecimal.valueOf(low));
        long k = range.divide(BigDecimal.valueOf(step), 0, RoundingMode.FLOOR).longValueExact();
        return point(low, step, k);
    }

    static boolean onGrid(double v, double low, double step) {
        double k = (v - low) / step;
        return Math.abs(k - Math.rint(k)) <= 1e-9 * Math.max(1.0, Math.abs(k));
    }

    /** The grid point nearest to v, clipped to [low, high]. */
    static double snap(double v, double low, double high, double step) {
        long k = Math.round((v - low) / step);
        return Math.min(Math.max(point(low, step, k), low), high);
    }
}
