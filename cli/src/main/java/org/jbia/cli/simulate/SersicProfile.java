package org.jbia.cli.simulate;

/**
 * An elliptical Sérsic profile {@code I(r) ∝ exp(-b_n ((r/R_e)^(1/n) - 1))} of unit total flux, with the
 * circularised radius {@code r² = q x'² + y'²/q} (x' along the major axis), so that {@code R_e} is the
 * circularised half-light radius whatever the axis ratio.
 */
final class SersicProfile implements SurfaceBrightness {
    private final double x;
    private final double y;
    private final double halfLightRadius;
    private final double index;
    private final double axisRatio;
    private final double angle;
    private final double cos;
    private final double sin;
    private final double bn;
    private final double amplitude;
    private final double inverseRe2;
    private final double halfInverseIndex;

    /**
     * @param x               centre, pixels
     * @param y               centre, pixels
     * @param halfLightRadius R_e, pixels
     * @param index           Sérsic index n (1: exponential disk, 4: de Vaucouleurs)
     * @param axisRatio       minor over major axis, in (0, 1]
     * @param angle           position angle of the major axis, radians from the x axis
     */
    SersicProfile(double x, double y, double halfLightRadius, double index, double axisRatio, double angle) {
        if (!(halfLightRadius > 0) || !(index >= 0.3 && index <= 8) || !(axisRatio > 0 && axisRatio <= 1)) {
            throw new IllegalArgumentException("a Sérsic profile needs halfLightRadius > 0, index in [0.3, 8] and "
                    + "axisRatio in (0, 1], got " + halfLightRadius + ", " + index + ", " + axisRatio);
        }
        this.x = x;
        this.y = y;
        this.halfLightRadius = halfLightRadius;
        this.index = index;
        this.axisRatio = axisRatio;
        this.angle = angle;
        this.cos = Math.cos(angle);
        this.sin = Math.sin(angle);
        this.bn = b(index);
        this.inverseRe2 = 1 / (halfLightRadius * halfLightRadius);
        this.halfInverseIndex = 0.5 / index;
        // Unit total flux: total = 2π n R_e² I_e e^b b^(-2n) Γ(2n).
        double logTotal = Math.log(2 * Math.PI * index * halfLightRadius * halfLightRadius) + bn
                - 2 * index * Math.log(bn) + logGamma(2 * index);
        this.amplitude = Math.exp(-logTotal);
    }

    /** Ciotti & Bertin (1999) asymptotic b_n: R_e then encloses half the light (to 1e-4 for n >= 0.36). */
    static double b(double n) {
        return 2 * n - 1.0 / 3 + 4 / (405 * n) + 46 / (25515 * n * n) + 131 / (1148175 * n * n * n);
    }

    @Override
    public double x() {
        return x;
    }

    @Override
    public double y() {
        return y;
    }

    double halfLightRadius() {
        return halfLightRadius;
    }

    double axisRatio() {
        return axisRatio;
    }

    double angle() {
        return angle;
    }

    @Override
    public double density(double px, double py) {
        double dx = px - x;
        double dy = py - y;
        double xr = dx * cos + dy * sin;
        double yr = -dx * sin + dy * cos;
        double r2 = (axisRatio * xr * xr + yr * yr / axisRatio) * inverseRe2;
        // (r/R_e)^(1/n) from r² without a square root.
        return amplitude * Math.exp(-bn * (Math.pow(r2, halfInverseIndex) - 1));
    }

    /** The circularised elliptical radius of (px, py), pixels. */
    double radius(double px, double py) {
        double dx = px - x;
        double dy = py - y;
        double xr = dx * cos + dy * sin;
        double yr = -dx * sin + dy * cos;
        return Math.sqrt(axisRatio * xr * xr + yr * yr / axisRatio);
    }

    /** Position angle of (px, py) in the face-on frame of the profile, radians. */
    double faceOnAngle(double px, double py) {
        double dx = px - x;
        double dy = py - y;
        double xr = dx * cos + dy * sin;
        double yr = -dx * sin + dy * cos;
        return Math.atan2(yr / axisRatio, xr);
    }

    @Override
    public double extent(double flux, double floor) {
        // Solve flux * I_e * exp(-b ((r/R_e)^(1/n) - 1)) = floor for r, along the major axis.
        double atHalfLight = flux * amplitude;
        if (!(atHalfLight > 0) || !(floor > 0)) {
            return 0;
        }
        double x = Math.max(0, 1 + Math.log(atHalfLight / floor) / bn);
        return halfLightRadius * Math.pow(x, index) / Math.sqrt(axisRatio);
    }

    @Override
    public double fineRadius() {
        return Math.min(2 + halfLightRadius, 12);
    }

    /** Lanczos approximation (g = 7, 9 terms), accurate to about 1e-15 for the arguments used here. */
    static double logGamma(double z) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        if (z < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
        }
        double w = z - 1;
        double a = c[0];
        double t = w + 7.5;
        for (int i = 1; i < 9; i++) {
            a += c[i] / (w + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (w + 0.5) * Math.log(t) - t + Math.log(a);
    }
}
