package org.jbia.optimize.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Pins the Parzen estimator to Optuna 3.1's rules on small histories worked out by hand: the
 * neighbour-gap bandwidths with the end kernels measured inward, the magic clip, the prior kernel,
 * the weight ramp for old observations and the categorical kernels.
 */
class ParzenEstimatorTest {
    private static final Offset<Double> EXACT = within(1e-12);
    private static final TpeSampler.Options DEFAULTS = TpeSampler.Options.defaults(Direction.MINIMIZE, 0);

    private static TpeSampler.Options withEndpoints(TpeSampler.Options o) {
        return new TpeSampler.Options(o.direction(), o.seed(), o.nStartupTrials(), o.nEiCandidates(), o.considerPrior(),
                o.priorWeight(), o.considerMagicClip(), true, o.constantLiar(), o.unscaledDensity(), o.multivariate());
    }

    @Test
    void bandwidthsAreTheLargerNeighbourGapWithTheEndKernelsMeasuredInwardThenClipped() {
        // x on [0, 10], observed (oldest first) 9.5, 1.5, 2.0, 2.6, 7.0; the prior sits at 5.
        // Sorted with the range ends: 0 | 1.5 2.0 2.6 5 7.0 9.5 | 10.
        //   1.5: end kernel, gap inward 0.5      -> clipped up to 10 / min(100, 1 + 6) = 10/7
        //   2.0: max(0.5, 0.6) = 0.6             -> clipped up to 10/7
        //   2.6: max(0.6, 2.4) = 2.4
        //   7.0: max(2.0, 2.5) = 2.5
        //   9.5: end kernel, gap inward 2.5 (not the 0.5 to the range end)
        //   prior: the whole range, 10
        ParzenEstimator pe = new ParzenEstimator(Param.uniform("x", 0, 10), new double[] {9.5, 1.5, 2.0, 2.6, 7.0}, DEFAULTS);
        assertThat(pe.mus(0)).containsExactly(9.5, 1.5, 2.0, 2.6, 7.0, 5.0);
        assertThat(pe.sigmas(0)).containsExactly(new double[] {2.5, 10.0 / 7, 10.0 / 7, 2.4, 2.5, 10.0}, EXACT);
        // Flat weights below 25 observations, the prior weighted like one more.
        assertThat(pe.weights()).containsExactly(new double[] {1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0, 1 / 6.0}, EXACT);
    }

    @Test
    void consideringEndpointsMeasuresTheEndKernelsToTheRangeEndsToo() {
        // As above, but 1.5 keeps max(1.5 to the low end, 0.5) = 1.5.
        ParzenEstimator pe = new ParzenEstimator(Param.uniform("x", 0, 10), new double[] {9.5, 1.5, 2.0, 2.6, 7.0},
                withEndpoints(DEFAULTS));
        assertThat(pe.sigmas(0)).containsExactly(new double[] {2.5, 1.5, 10.0 / 7, 2.4, 2.5, 10.0}, EXACT);
    }

    @Test
    void intParametersAreModelledOnTheRangeWidenedByHalfAStep() {
        // n in 1..64 behaves as a float on [0.5, 64.5]: range 64, prior at 32.5, clip 64 / min(100, 1 + 3).
        // Sorted: 0.5 | 20 24 32.5 | 64.5 -> 20: inward gap 4 -> 16; 24: max(4, 8.5) = 8.5 -> 16.
        ParzenEstimator pe = new ParzenEstimator(Param.integer("n", 1, 64), new double[] {24, 20}, DEFAULTS);
        assertThat(pe.mus(0)).containsExactly(24.0, 20.0, 32.5);
        assertThat(pe.sigmas(0)).containsExactly(new double[] {16.0, 16.0, 64.0}, EXACT);
        // One grid point's probability is the kernel mass over its cell; over the whole grid they sum to 1.
        double[] grid = new double[64];
        Arrays.setAll(grid, i -> i + 1);
        assertThat(Arrays.stream(pe.logPdf(grid)).map(Math::exp).sum()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void logParametersAreModelledInLogSpace() {
        // lr in [1e-5, 1e-1]: kernels on [ln 1e-5, ln 1e-1], prior in the middle at ln 1e-3 with width ln 1e4.
        ParzenEstimator pe = new ParzenEstimator(Param.logUniform("lr", 1e-5, 1e-1), new double[] {1e-2}, DEFAULTS);
        assertThat(pe.mus(0)).containsExactly(new double[] {Math.log(1e-2), Math.log(1e-3)}, EXACT);
        // Two kernels: both ends measured inward give the same gap ln 10, under the clip ln 1e4 / 3.
        assertThat(pe.sigmas(0)).containsExactly(new double[] {Math.log(1e4) / 3, Math.log(1e4)}, EXACT);
    }

    @Test
    void weightsRampDownTheOldestObservationsFrom25On() {
        // 30 observations: np.linspace(1/30, 1, 5) for the 5 oldest, 1 for the 25 newest, 1 for the prior.
        double[] observations = new double[30];
        Arrays.setAll(observations, i -> 0.01 * (i + 1));
        double[] w = new ParzenEstimator(Param.uniform("x", 0, 1), observations, DEFAULTS).weights();
        double[] ramp = {1 / 30.0, 0.275, 31 / 60.0, 91 / 120.0, 1.0};
        double total = Arrays.stream(ramp).sum() + 25 + 1;
        assertThat(w).hasSize(31);
        for (int i = 0; i < 5; i++) {
            assertThat(w[i]).as("weight of observation %d", i).isCloseTo(ramp[i] / total, EXACT);
        }
        for (int i = 5; i < 31; i++) {
            assertThat(w[i]).as("weight of kernel %d", i).isCloseTo(1 / total, EXACT);
        }
    }

    @Test
    void categoricalKernelsPutTheirMassOnTheObservedChoiceOverAPriorFloor() {
        // Choices a, b, c observed a, a, c: each kernel adds prior_weight / (n + 1) = 1/4 to every choice
        // and 1 to its own, normalised: (1.25, 0.25, 0.25) / 1.75; the prior kernel is uniform.
        ParzenEstimator pe = new ParzenEstimator(List.of(Param.categorical("k", "a", "b", "c")),
                new double[][] {{0}, {0}, {2}}, DEFAULTS, false);
        double[][] kernels = pe.choiceProbabilities(0);
        assertThat(kernels[0]).containsExactly(new double[] {5 / 7.0, 1 / 7.0, 1 / 7.0}, EXACT);
        assertThat(kernels[1]).containsExactly(new double[] {5 / 7.0, 1 / 7.0, 1 / 7.0}, EXACT);
        assertThat(kernels[2]).containsExactly(new double[] {1 / 7.0, 1 / 7.0, 5 / 7.0}, EXACT);
        assertThat(kernels[3]).containsExactly(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, EXACT);
        // The mixture: a = (5/7 + 5/7 + 1/7 + 1/3) / 4.
        assertThat(Math.exp(pe.logPdf(new double[] {0})[0])).isCloseTo((11 / 7.0 + 1 / 3.0) / 4, EXACT);
    }

    @Test
    void choicesWithTheSameObservationsAndWeightsGetExactlyTheSameProbability() {
        // Observed b, c, b, d: c and d are each observed once (by equally weighted kernels, at different
        // places), so they are tied and must tie exactly for the argmax to go to the first candidate
        // drawn rather than to whichever choice rounding favours (a running sum over each kernel's
        // row, then a log-sum-exp over kernels, gave them values an ulp apart).
        double[][] observations = {{1}, {2}, {1}, {3}};
        ParzenEstimator pe = new ParzenEstimator(List.of(Param.categorical("k", "a", "b", "c", "d")), observations,
                DEFAULTS, false);
        double[] logP = pe.logPdf(new double[] {0, 1, 2, 3});
        assertThat(logP[2]).isEqualTo(logP[3]);
        // fill = 1/5, an observation's row sums to 1.8, the prior is uniform; five kernels weigh 1/5 each:
        // c = (3 · 0.2 + 1.2) / 1.8 / 5 + 0.25 / 5 = 0.25; b = (2 · 1.2 + 2 · 0.2) / 1.8 / 5 + 0.05.
        assertThat(Math.exp(logP[2])).isCloseTo(0.25, EXACT);
        assertThat(Math.exp(logP[1])).isCloseTo(2.8 / 1.8 / 5 + 0.05, EXACT);
        assertThat(Arrays.stream(logP).map(Math::exp).sum()).isCloseTo(1.0, EXACT);
    }

    @Test
    void multivariateBandwidthsFollowScottsRule() {
        // Two parameters, 30 joint observations: 0.2 · 30^(−1/6) of each range (above the clip range / 32).
        List<Param> params = List.of(Param.uniform("x1", -5, 10), Param.uniform("x2", 0, 30));
        double[][] rows = new double[30][];
        for (int i = 0; i < 30; i++) {
            rows[i] = new double[] {-5 + 0.5 * i, i};
        }
        ParzenEstimator pe = new ParzenEstimator(params, rows, DEFAULTS, true);
        double factor = 0.2 * Math.pow(30, -1.0 / 6);
        double[] x1 = pe.sigmas(0);
        double[] x2 = pe.sigmas(1);
        for (int j = 0; j < 30; j++) {
            assertThat(x1[j]).isCloseTo(factor * 15, EXACT);
            assertThat(x2[j]).isCloseTo(factor * 30, EXACT);
        }
        assertThat(x1[30]).isEqualTo(15.0);
        assertThat(x2[30]).isEqualTo(30.0);
    }
}
