package org.jbia.cli.simulate;

/**
 * An exponential (or any Sérsic) disk whose face-on light is modulated by logarithmic spiral arms,
 * {@code 1 + A cos(m (θ - ln(r) / tan(pitch)) + phase)}. The modulation averages to 1 around every
 * ring, so the total flux stays that of the underlying profile.
 */
final class SpiralDisk implements SurfaceBrightness {
    private final SersicProfile disk;
    private final int arms;
    private final double winding;
    private final double amplitude;
    private final double phase;

    /**
     * @param arms      number of arms, >= 1
     * @param pitch     pitch angle, radians in (0, π/2)
     * @param amplitude arm contrast in [0, 1]
     */
    SpiralDisk(SersicProfile disk, int arms, double pitch, double amplitude, double phase) {
        if (arms < 1 || !(pitch > 0 && pitch < Math.PI / 2) || !(amplitude >= 0 && amplitude <= 1)) {
            throw new IllegalArgumentException("a spiral disk needs arms >= 1, pitch in (0, π/2) and amplitude in "
                    + "[0, 1], got " + arms + ", " + pitch + ", " + amplitude);
        }
        this.disk = disk;
        this.arms = arms;
        this.winding = 1 / Math.tan(pitch);
        this.amplitude = amplitude;
        this.phase = phase;
    }

    @Override
    public double x() {
        return disk.x();
    }

    @Override
    public double y() {
        return disk.y();
    }

    @Override
    public double density(double px, double py) {
        double r = disk.radius(px, py);
        if (r < 1e-9) {
            return disk.density(px, py);
        }
        double theta = disk.faceOnAngle(px, py);
        // The arms fade towards the centre, where a real disk has its bar or bulge.
        double fade = r / (r + 0.5 * disk.halfLightRadius());
        double arm = 1 + amplitude * fade * Math.cos(arms * (theta - winding * Math.log(r)) + phase);
        return disk.density(px, py) * arm;
    }

    @Override
    public double extent(double flux, double floor) {
        // The arms at most double the light of a ring.
        return disk.extent(2 * flux, floor);
    }

    @Override
    public double fineRadius() {
        return disk.fineRadius();
    }
}
