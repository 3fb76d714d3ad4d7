package org.jbia.cli.simulate;

/**
 * A point-spread function made of a Gaussian core and a Gaussian wing twice as wide, which mimics a
 * Moffat profile's extended wings while staying separable (two 1-D passes per Gaussian instead of a
 * 2-D kernel: what keeps a 100x100 cutout at a few milliseconds).
 *
 * @param coreSigma  core standard deviation, pixels
 * @param wingWeight fraction of the light in the wing, in [0, 1)
 */
record Psf(double coreSigma, double wingWeight) {
    static final double WING_WIDTH = 2.0;

    Psf {
        if (!(coreSigma > 0) || !(wingWeight >= 0 && wingWeight < 1)) {
            throw new IllegalArgumentException("a PSF needs coreSigma > 0 and wingWeight in [0, 1), got " + coreSigma
                    + " and " + wingWeight);
        }
    }

    /** A PSF whose full width at half maximum is {@code fwhm} pixels. */
    static Psf ofFwhm(double fwhm, double wingWeight) {
        // The wing widens the profile; solve for the core width that keeps the half maximum at fwhm/2.
        double half = fwhm / 2;
        double lo = 0.1;
        double hi = fwhm;
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            double profile = shape(half, mid, wingWeight) / shape(0, mid, wingWeight);
            if (profile > 0.5) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return new Psf((lo + hi) / 2, wingWeight);
    }

    private static double shape(double r, double sigma, double wing) {
        double w = sigma * WING_WIDTH;
        return (1 - wing) / (sigma * sigma) * Math.exp(-r * r / (2 * sigma * sigma))
                + wing / (w * w) * Math.exp(-r * r / (2 * w * w));
    }

    /** Pixels of padding a canvas needs around the cutout for this PSF's kernel. */
    int radius() {
        return radius(coreSigma * WING_WIDTH);
    }

    /** Kernel reach for one Gaussian: 3.5 sigma leaves out 0.05% of its light. */
    private static int radius(double sigma) {
        return (int) Math.ceil(3.5 * sigma);
    }

    /**
     * Convolves a square canvas of side {@code canvas} holding the cutout of side {@code size} at offset
     * {@code pad}, and returns the cutout only: light from outside the cutout spills in, as on the sky.
     */
    double[] convolve(double[] plane, int canvas, int pad, int size) {
        double[] out = new double[size * size];
        pass(plane, canvas, pad, size, kernel(coreSigma, Math.min(radius(coreSigma), pad)), 1 - wingWeight, out);
        if (wingWeight > 0) {
            double wing = coreSigma * WING_WIDTH;
            pass(plane, canvas, pad, size, kernel(wing, Math.min(radius(wing), pad)), wingWeight, out);
        }
        return out;
    }

    private static void pass(double[] plane, int canvas, int pad, int size, double[] k, double weight, double[] out) {
        int radius = k.length / 2;
        // Rows first, over every canvas row that the column pass will need. The kernel loop is outside
        // the pixel loop so that the inner loop is a plain a*x+y the JIT vectorises.
        int first = pad - radius;
        int rowCount = size + 2 * radius;
        double[] rows = new double[rowCount * size];
        for (int r = 0; r < rowCount; r++) {
            int src = (first + r) * canvas + pad - radius;
            int dst = r * size;
            for (int j = 0; j < k.length; j++) {
                double kj = k[j];
                int from = src + j;
                for (int x = 0; x < size; x++) {
                    rows[dst + x] += kj * plane[from + x];
                }
            }
        }
        for (int y = 0; y < size; y++) {
            int dst = y * size;
            for (int j = 0; j < k.length; j++) {
                double kj = weight * k[j];
                int from = (y + j) * size;
                for (int x = 0; x < size; x++) {
                    out[dst + x] += kj * rows[from + x];
                }
            }
        }
    }

    /** A normalised 1-D Gaussian sampled at pixel centres over [-radius, radius]. */
    static double[] kernel(double sigma, int radius) {
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-i * (double) i / (2 * sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }
}
