package org.jbia.optimize.search;

/**
 * The standard-normal arithmetic the Parzen estimators need, computed in log space so that kernels
 * far from a point (tiny masses such as Φ(−30)) neither underflow nor cancel. Arguments a, b are
 * truncation bounds in standard units. Java has no erf, hence the series and continued fraction.
 */
final class TruncatedNormal {
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double SQRT2 = Math.sqrt(2.0);
    /** Beyond this |x| the tail is computed from the Mills ratio instead of the erf series. */
    private static final double TAIL = 3.0;

    private TruncatedNormal() {
    }

    /** log φ(x), the standard normal log density. */
    static double logPhi(double x) {
        return -0.5 * x * x - LOG_SQRT_2PI;
    }

    /** Φ(x). */
    static double ndtr(double x) {
        if (x < -TAIL) {
            return Math.exp(logNdtr(x));
        }
        if (x > TAIL) {
            return 1.0 - ndtr(-x);
        }
        return 0.5 + 0.5 * erfSmall(x / SQRT2);
    }

    /** log Φ(x), accurate in both tails. */
    static double logNdtr(double x) {
        if (x == Double.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        if (x < -TAIL) {
            return logPhi(x) + Math.log(millsRatio(-x));
        }
        if (x > TAIL) {
            return Math.log1p(-ndtr(-x));
        }
        return Math.log(ndtr(x));
    }

    /** log(Φ(b) − Φ(a)) for a ≤ b, the log mass of the standard normal on [a, b]. */
    static double logGaussMass(double a, double b) {
        if (!(a < b)) {
            return Double.NEGATIVE_INFINITY;
        }
        if (b <= 0) {
            return logDiff(logNdtr(b), logNdtr(a));
        }
        if (a > 0) {
            return logDiff(logNdtr(-a), logNdtr(-b));
        }
        // Straddling 0: both excluded tails are at most ½, no cancellation.
        return Math.log1p(-ndtr(a) - ndtr(-b));
    }

    /**
     * The quantile q ∈ [0, 1] of the standard normal truncated to [a, b]. Works from the tail
     * nearer to the interval so that far-out intervals keep their precision.
     */
    static double ppf(double q, double a, double b) {
        double logMass = logGaussMass(a, b);
        double x;
        if (a < 0) {
            x = ndtriExp(logAddExp(logNdtr(a), Math.log(q) + logMass));
        } else {
            x = -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-q) + logMass));
        }
        return Math.min(Math.max(x, a), b);
    }

    /** The x with log Φ(x) = y, by bisection (log Φ is monotone; 64 halvings of [−100, 100] reach double precision). */
    static double ndtriExp(double y) {
        if (y == Double.NEGATIVE_INFINITY) {
            return -100;
        }
        double lo = -100;
        double hi = 100;
        for (int i = 0; i < 64 && hi - lo > 1e-15 * Math.max(1.0, Math.abs(lo)); i++) {
            double mid = 0.5 * (lo + hi);
            if (logNdtr(mid) < y) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    static double logAddExp(double p, double q) {
        if (p == Double.NEGATIVE_INFINITY) {
            return q;
        }
        if (q == Double.NEGATIVE_INFINITY) {
            return p;
        }
        double m = Math.max(p, q);
        return m + Math.log1p(Math.exp(-Math.abs(p - q)));
    }

    /** log(e^p − e^q) for p ≥ q. */
    private static double logDiff(double p, double q) {
        if (q == Double.NEGATIVE_INFINITY) {
            return p;
        }
        return p + Math.log1p(-Math.exp(q - p));
    }

    /** erf(z) for |z| ≤ 3/√2 by the all-positive series erf z = 2/√π e^{−z²} Σ (2z²)ⁿ z / (1·3·…·(2n+1)). */
    private static double erfSmall(double x) {
        // Odd function: sum with |x| so the all-positive series' stopping rule holds.
        double z = Math.abs(x);
        double z2 = z * z;
        double term = z;
        double sum = z;
        for (int n = 1; n < 200; n++) {
            term *= 2 * z2 / (2 * n + 1);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return Math.copySign(2 / Math.sqrt(Math.PI) * Math.exp(-z2) * sum, x);
    }

    /**
     * Mills ratio R(t) = (1 − Φ(t)) / φ(t) for t ≥ 3, by the continued fraction
     * 1/(t + 1/(t + 2/(t + 3/(t + …)))) evaluated from the bottom.
     */
    private static double millsRatio(double t) {
        int depth = t > 10 ? 40 : 160;
        double f = t;
        for (int k = depth; k >= 1; k--) {
            f = t + k / f;
        }
        return 1.0 / f;
    }
}
