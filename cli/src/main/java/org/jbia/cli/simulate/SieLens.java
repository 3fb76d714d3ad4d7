package org.jbia.cli.simulate;

/**
 * A singular isothermal ellipsoid (SIE) plus external shear, in pixel units.
 *
 * <p>The deflection is Keeton's (2001) closed form for an isothermal ellipsoid whose iso-density
 * contours are {@code q²x² + y² = const} in the frame of its major axis. Its scale is set so that the
 * mean radial deflection on any circle about the centre equals {@link #einsteinRadius()}: by Gauss's
 * theorem the mean convergence inside that circle is then 1, the usual definition of a (circularised)
 * Einstein radius, whatever the axis ratio.
 */
final class SieLens {
    /** Below this flattening the closed form loses precision; the lens is then a singular isothermal sphere. */
    private static final double ROUND = 1e-4;

    private final double x;
    private final double y;
    private final double einsteinRadius;
    private final double axisRatio;
    private final double shear;
    private final double cos;
    private final double sin;
    private final double scale;
    private final double flattening;
    private final double gamma1;
    private final double gamma2;

    /**
     * @param x              centre, pixels
     * @param y              centre, pixels
     * @param einsteinRadius circularised Einstein radius, pixels
     * @param axisRatio      minor over major axis of the mass, in (0, 1]
     * @param angle          position angle of the major axis, radians from the x axis
     * @param shear          external shear strength, >= 0
     * @param shearAngle     external shear angle, radians
     */
    SieLens(double x, double y, double einsteinRadius, double axisRatio, double angle, double shear,
            double shearAngle) {
        if (!(einsteinRadius > 0) || !(axisRatio > 0) || axisRatio > 1 || !(shear >= 0)) {
            throw new IllegalArgumentException("an SIE needs einsteinRadius > 0, axisRatio in (0, 1] and shear >= 0, got "
                    + einsteinRadius + ", " + axisRatio + ", " + shear);
        }
        this.x = x;
        this.y = y;
        this.einsteinRadius = einsteinRadius;
        this.axisRatio = axisRatio;
        this.shear = shear;
        this.cos = Math.cos(angle);
        this.sin = Math.sin(angle);
        this.flattening = Math.sqrt(1 - axisRatio * axisRatio);
        this.scale = einsteinRadius / meanRadialDeflection(axisRatio);
        this.gamma1 = shear * Math.cos(2 * shearAngle);
        this.gamma2 = shear * Math.sin(2 * shearAngle);
    }

    double x() {
        return x;
    }

    double y() {
        return y;
    }

    double einsteinRadius() {
        return einsteinRadius;
    }

    double shear() {
        return shear;
    }

    /** Writes the deflection at (px, py) into {@code out[0], out[1]}. */
    void deflect(double px, double py, double[] out) {
        double dx = px - x;
        double dy = py - y;
        double xr = dx * cos + dy * sin;
        double yr = -dx * sin + dy * cos;
        double ax;
        double ay;
        if (1 - axisRatio < ROUND) {
            double r = Math.sqrt(xr * xr + yr * yr);
            ax = r == 0 ? 0 : scale * xr / r;
            ay = r == 0 ? 0 : scale * yr / r;
        } else {
            double psi = Math.sqrt(axisRatio * axisRatio * xr * xr + yr * yr);
            if (psi == 0) {
                ax = 0;
                ay = 0;
            } else {
                double k = scale * axisRatio / flattening;
                double u = flattening * yr / psi;
                ax = k * Math.atan(flattening * xr / psi);
                ay = k * 0.5 * Math.log((1 + u) / (1 - u));
            }
        }
        out[0] = ax * cos - ay * sin + gamma1 * dx + gamma2 * dy;
        out[1] = ax * sin + ay * cos + gamma2 * dx - gamma1 * dy;
    }

    /** The mean radial deflection on a circle of the scale-1 ellipsoid: the same on every circle (isothermal). */
    static double meanRadialDeflection(double q) {
        if (1 - q < ROUND) {
            return 1;
        }
        double f = Math.sqrt(1 - q * q);
        int n = 512;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double t = 2 * Math.PI * (i + 0.5) / n;
            double c = Math.cos(t);
            double s = Math.sin(t);
            double psi = Math.sqrt(q * q * c * c + s * s);
            double u = f * s / psi;
            double ax = q / f * Math.atan(f * c / psi);
            double ay = q / f * 0.5 * Math.log((1 + u) / (1 - u));
            sum += ax * c + ay * s;
        }
        return sum / n;
    }
}
