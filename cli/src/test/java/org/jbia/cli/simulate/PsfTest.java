package org.jbia.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PsfTest {

    @Test
    void aPointSpreadsToTheRequestedWidthKeepingItsFlux() {
        Psf psf = Psf.ofFwhm(4.0, 0.12);
        int size = 41;
        int pad = psf.radius();
        int canvas = size + 2 * pad;
        double[] plane = new double[canvas * canvas];
        plane[(pad + 20) * canvas + pad + 20] = 1000;
        double[] out = psf.convolve(plane, canvas, pad, size);
        double total = 0;
        for (double v : out) {
            total += v;
        }
        assertThat(total).isCloseTo(1000, within(1.0));
        double peak = out[20 * size + 20];
        // Half maximum two pixels from the centre: FWHM 4, read between pixel centres.
        double atTwo = out[20 * size + 22];
        assertThat(atTwo / peak).isCloseTo(0.5, within(0.05));
    }

    @Test
    void lightJustOutsideTheCutoutSpillsIn() {
        Psf psf = Psf.ofFwhm(4.0, 0.12);
        int size = 20;
        int pad = psf.radius();
        int canvas = size + 2 * pad;
        double[] plane = new double[canvas * canvas];
        plane[(pad + 10) * canvas + pad - 2] = 1000; // two pixels left of the cutout
        double[] out = psf.convolve(plane, canvas, pad, size);
        assertThat(out[10 * size]).isGreaterThan(10);
    }
}
