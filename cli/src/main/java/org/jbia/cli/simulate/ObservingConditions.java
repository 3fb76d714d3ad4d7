package org.jbia.cli.simulate;

import java.util.SplittableRandom;

/**
 * How one cutout was observed, per band (g, r, i): the PSF, the sky noise left after background
 * subtraction, and the gain that turns the image's counts into photo-electrons for Poisson noise.
 *
 * @param psf      PSF per band
 * @param skySigma standard deviation of the sky noise per band, image counts
 * @param gain     photo-electrons per image count per band
 * @param residualSky background left after sky subtraction per band, image counts
 */
record ObservingConditions(Psf[] psf, double[] skySigma, double[] gain, double[] residualSky) {
    /** Seeing in i, arcsec FWHM; r and g are a little worse, as seeing degrades towards the blue. */
    static final double SEEING_MIN = 0.8;
    static final double SEEING_MAX = 1.2;
    static final double[] SEEING_FACTOR = {1.1, 1.05, 1.0};
    /** Fraction of the PSF's light in its wing. */
    static final double WING_WEIGHT = 0.12;
    /** Sky noise per band (g, r, i), image counts: the range measured on the real cutouts' empty corners. */
    static final double[] SKY_SIGMA_MIN = {0.25, 0.33, 0.42};
    static final double[] SKY_SIGMA_MAX = {0.45, 0.60, 0.80};
    /**
     * Background left by an imperfect sky subtraction, in units of the sky noise (the same draw for
     * every band): the real cutouts' empty corners sit at a median of +0.5 sigma.
     */
    static final double RESIDUAL_SKY_MIN = -0.2;
    static final double RESIDUAL_SKY_MAX = 0.8;
    /** Sky level under the noise, photo-electrons per pixel: sets the gain, hence the Poisson noise of sources. */
    static final double SKY_ELECTRONS_MIN = 300;
    static final double SKY_ELECTRONS_MAX = 2500;

    static ObservingConditions draw(SplittableRandom rng, double pixelScale) {
        double seeing = rng.nextDouble(SEEING_MIN, SEEING_MAX);
        Psf[] psf = new Psf[3];
        double[] sigma = new double[3];
        double[] gain = new double[3];
        double[] residual = new double[3];
        double offset = rng.nextDouble(RESIDUAL_SKY_MIN, RESIDUAL_SKY_MAX);
        for (int b = 0; b < 3; b++) {
            psf[b] = Psf.ofFwhm(seeing * SEEING_FACTOR[b] / pixelScale, WING_WEIGHT);
            sigma[b] = rng.nextDouble(SKY_SIGMA_MIN[b], SKY_SIGMA_MAX[b]);
            double skyElectrons = rng.nextDouble(SKY_ELECTRONS_MIN, SKY_ELECTRONS_MAX);
            gain[b] = Math.sqrt(skyElectrons) / sigma[b];
            residual[b] = offset * sigma[b];
        }
        return new ObservingConditions(psf, sigma, gain, residual);
    }

    /** Canvas padding that every band's PSF kernel needs. */
    int padding() {
        int pad = 0;
        for (Psf p : psf) {
            pad = Math.max(pad, p.radius());
        }
        return pad;
    }
}
