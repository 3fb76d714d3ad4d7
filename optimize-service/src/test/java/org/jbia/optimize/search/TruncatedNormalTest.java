package org.jbia.optimize.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class TruncatedNormalTest {

    @Test
    void logNdtrMatchesScipyInBothTailsAndTheMiddle() {
        // Reference values: scipy.special.log_ndtr.
        double[][] ref = {{-40, -804.6084420137539}, {-10, -53.23128515051248}, {-3.5, -8.366065308344094},
                          {-3, -6.60772622151035}, {-2.9, -6.284058234947419}, {-1, -1.841021645009264},
                          {0, -0.6931471805599453}, {0.5, -0.3689464152886563}, {2.9, -0.0018675560981809213},
                          {3.1, -0.0009680716434015494}, {8, -6.220960574271743e-16}};
        for (double[] r : ref) {
            assertThat(TruncatedNormal.logNdtr(r[0])).as("log_ndtr(%s)", r[0])
                    .isCloseTo(r[1], within(1e-12 * Math.max(1, Math.abs(r[1]))));
        }
    }

    @Test
    void ppfMatchesScipyTruncnorm() {
        // scipy.stats.truncnorm.ppf(q, a, b)
        assertThat(TruncatedNormal.ppf(0.3, -1, 2)).isCloseTo(-0.2424038178892272, within(1e-9));
        assertThat(TruncatedNormal.ppf(0.7, 4, 6)).isCloseTo(4.276281071377473, within(1e-9));
        assertThat(TruncatedNormal.ppf(0.2, -9, -8)).isCloseTo(-8.195757946502276, within(1e-9));
    }

    @Test
    void ppfInvertsTheTruncatedCdfFarOutInTheTails() {
        Offset<Double> tol = within(1e-9);
        for (double[] ab : new double[][] {{-30, -29}, {-1, 1}, {25, 40}, {-0.5, 60}}) {
            double mass = TruncatedNormal.logGaussMass(ab[0], ab[1]);
            for (double q : new double[] {0.01, 0.3, 0.5, 0.9, 0.999}) {
                double x = TruncatedNormal.ppf(q, ab[0], ab[1]);
                assertThat(x).isBetween(ab[0], ab[1]);
                assertThat(Math.exp(TruncatedNormal.logGaussMass(ab[0], x) - mass)).isCloseTo(q, tol);
            }
        }
    }
}
