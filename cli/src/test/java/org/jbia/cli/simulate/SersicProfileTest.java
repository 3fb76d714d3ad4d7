package org.jbia.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SersicProfileTest {

    @Test
    void theProfileHoldsUnitFluxWithHalfInsideTheHalfLightRadius() {
        for (double n : new double[] {0.5, 1, 4}) {
            SersicProfile round = new SersicProfile(0, 0, 3, n, 1, 0);
            double total = 0;
            double inside = 0;
            double step = 0.05;
            double reach = n >= 4 ? 600 : 60;
            // Integrate in rings: the profile is round, so the area of a ring is 2πr dr.
            for (double r = step / 2; r < reach; r += step) {
                double ring = round.density(r, 0) * 2 * Math.PI * r * step;
                total += ring;
                if (r < 3) {
                    inside += ring;
                }
            }
            assertThat(total).as("n = %s", n).isCloseTo(1, within(0.01));
            assertThat(inside / total).as("n = %s", n).isCloseTo(0.5, within(0.01));
        }
    }

    @Test
    void aFlattenedProfileKeepsItsFluxAndLiesAlongItsAngle() {
        SersicProfile flat = new SersicProfile(0, 0, 4, 1, 0.5, Math.PI / 2);
        double total = 0;
        for (double y = -80; y < 80; y += 0.25) {
            for (double x = -80; x < 80; x += 0.25) {
                total += flat.density(x + 0.125, y + 0.125) * 0.0625;
            }
        }
        assertThat(total).isCloseTo(1, within(0.01));
        // Major axis along y at 90 degrees.
        assertThat(flat.density(0, 6)).isGreaterThan(flat.density(6, 0));
    }

    @Test
    void logGammaMatchesKnownValues() {
        assertThat(SersicProfile.logGamma(5)).isCloseTo(Math.log(24), within(1e-12));
        assertThat(SersicProfile.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-12));
        assertThat(SersicProfile.logGamma(8)).isCloseTo(Math.log(5040), within(1e-11));
    }

    @Test
    void theDrawnExtentGrowsWithFlux() {
        SersicProfile p = new SersicProfile(0, 0, 4, 4, 1, 0);
        double faint = p.extent(10, 0.003);
        double bright = p.extent(1e5, 0.003);
        assertThat(bright).isGreaterThan(faint);
        assertThat(p.density(bright, 0) * 1e5).isCloseTo(0.003, within(1e-6));
    }

    @Test
    void impossibleParametersAreRefused() {
        assertThatThrownBy(() -> new SersicProfile(0, 0, 2, 12, 0.5, 0)).hasMessageContaining("index in [0.3, 8]")
                .hasMessageContaining("got 2.0, 12.0, 0.5");
    }
}
