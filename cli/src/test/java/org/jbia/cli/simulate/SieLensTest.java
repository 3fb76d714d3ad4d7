package org.jbia.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SieLensTest {

    @Test
    void aRoundLensWithoutShearDeflectsByTheEinsteinRadiusEverywhere() {
        SieLens sis = new SieLens(10, 20, 6, 1, 0, 0, 0);
        double[] a = new double[2];
        for (double[] p : new double[][] {{13, 24}, {10, 50}, {-3, 20}, {10.5, 19.2}}) {
            sis.deflect(p[0], p[1], a);
            assertThat(Math.hypot(a[0], a[1])).isCloseTo(6, within(1e-9));
            // Towards the centre: the deflection points along the position.
            double cross = (p[0] - 10) * a[1] - (p[1] - 20) * a[0];
            assertThat(cross).isCloseTo(0, within(1e-9));
        }
    }

    @Test
    void anEllipticalLensHasMeanConvergenceOneInsideTheEinsteinRadius() {
        for (double q : new double[] {0.5, 0.7, 0.95}) {
            SieLens lens = new SieLens(0, 0, 8, q, 0.4, 0, 0);
            // Isothermal: the mean radial deflection on a circle is the same at every radius.
            for (double r : new double[] {2, 8, 30}) {
                assertThat(meanRadial(lens, r)).as("q %s, r %s", q, r).isCloseTo(8, within(1e-3));
            }
        }
    }

    @Test
    void theDeflectionIsTheGradientOfAPotential() {
        SieLens lens = new SieLens(1, 2, 7, 0.6, 0.7, 0.05, 1.1);
        double h = 1e-4;
        double[] a = new double[2];
        double[] b = new double[2];
        for (double[] p : new double[][] {{5, 9}, {-4, 3}, {8, -6}}) {
            lens.deflect(p[0], p[1] + h, a);
            lens.deflect(p[0], p[1] - h, b);
            double dAxDy = (a[0] - b[0]) / (2 * h);
            lens.deflect(p[0] + h, p[1], a);
            lens.deflect(p[0] - h, p[1], b);
            double dAyDx = (a[1] - b[1]) / (2 * h);
            assertThat(dAxDy).isCloseTo(dAyDx, within(1e-5));
        }
    }

    @Test
    void aSourceBehindTheCentreOfARoundLensBecomesAnEinsteinRing() {
        SieLens sis = new SieLens(40, 40, 10, 1, 0, 0, 0);
        SersicProfile source = new SersicProfile(40, 40, 0.8, 1, 1, 0);
        Component.LensedGalaxy lensed = new Component.LensedGalaxy(sis,
                List.of(new Component.Galaxy(source, new double[] {1, 1, 1})));
        double[][] planes = new double[3][80 * 80];
        Renderer.trace(lensed, 80, 0, 4, 1e-7, planes);
        double[] profile = new double[40];
        int[] counts = new int[40];
        for (int y = 0; y < 80; y++) {
            for (int x = 0; x < 80; x++) {
                int r = (int) Math.round(Math.hypot(x - 40, y - 40));
                if (r < 40) {
                    profile[r] += planes[0][y * 80 + x];
                    counts[r]++;
                }
            }
        }
        int peak = 0;
        for (int r = 1; r < 40; r++) {
            if (profile[r] / counts[r] > profile[peak] / counts[peak]) {
                peak = r;
            }
        }
        assertThat(peak).isEqualTo(10);
    }

    @Test
    void impossibleParametersAreRefused() {
        assertThatThrownBy(() -> new SieLens(0, 0, 0, 0.5, 0, 0, 0)).hasMessageContaining("einsteinRadius > 0")
                .hasMessageContaining("got 0.0, 0.5, 0.0");
        assertThatThrownBy(() -> new SieLens(0, 0, 5, 1.5, 0, 0, 0)).hasMessageContaining("axisRatio in (0, 1]")
                .hasMessageContaining("got 5.0, 1.5");
    }

    private static double meanRadial(SieLens lens, double r) {
        int n = 720;
        double sum = 0;
        double[] a = new double[2];
        for (int i = 0; i < n; i++) {
            double t = 2 * Math.PI * (i + 0.5) / n;
            lens.deflect(lens.x() + r * Math.cos(t), lens.y() + r * Math.sin(t), a);
            sum += a[0] * Math.cos(t) + a[1] * Math.sin(t);
        }
        return sum / n;
    }
}
