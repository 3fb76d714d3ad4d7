package org.jbia.optimize.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.jbia.optimize.bench.BenchFunction;
import org.junit.jupiter.api.Test;

/**
 * Given the random numbers Optuna 3.1's {@code TPESampler(seed=s)} draws, the TPE sampler must
 * repeat Optuna's whole run: the same start-up points, the same models, the same candidates, the
 * same picks, hence the same best value after 100 trials. On float parameters nothing but the
 * random numbers separates the two, so this pins every rule of the algorithm at once.
 *
 * <p>Optuna's sampler holds two NumPy {@code RandomState(s)} streams: its RandomSampler's, for
 * the start-up trials, and its own, for the model's draws. The reference bests come from Debian's
 * python3-optuna 3.1.0 running shared/peers/optuna_ref.py's objectives:
 * {@code bench/tpe/per_seed.py <peer> branin 100 0 3} (and hartmann6).
 */
class OptunaReplayTest {

    /** NumPy's two seeded streams, each carried from trial to trial as Optuna's are. */
    private static TpeSampler.TrialStreams numpyStreams(long seed) {
        RandomGenerator randomSampler = new NumpyLegacyRandom(seed);
        RandomGenerator tpe = new NumpyLegacyRandom(seed);
        return new TpeSampler.TrialStreams() {
            @Override
            public RandomGenerator startup(int trialNumber) {
                return randomSampler;
            }

            @Override
            public RandomGenerator model(int trialNumber) {
                return tpe;
            }
        };
    }

    private static double bestOf100(BenchFunction f, SearchSpace space, long seed) {
        TpeSampler sampler = new TpeSampler(TpeSampler.Options.defaults(Direction.MINIMIZE, seed)
                .withConstantLiar(false), numpyStreams(seed));
        List<TrialRecord> history = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (int t = 0; t < 100; t++) {
            Map<String, Object> params = sampler.sample(space, history, t);
            double v = f.evaluate(params);
            history.add(TrialRecord.complete(t, params, v));
            best = Math.min(best, v);
        }
        return best;
    }

    @Test
    void theGeneratorIsNumpysRandomState() {
        // numpy.random.RandomState(0).random_sample(3)
        NumpyLegacyRandom r = new NumpyLegacyRandom(0);
        assertThat(new double[] {r.nextDouble(), r.nextDouble(), r.nextDouble()})
                .containsExactly(0.5488135039273248, 0.7151893663724195, 0.6027633760716439);
    }

    @Test
    void braninRunsRepeatOptunasTrialForTrial() {
        SearchSpace space = SearchSpace.builder().add(Param.uniform("x1", -5, 10)).add(Param.uniform("x2", 0, 15)).build();
        double[] optuna = {0.4222325256566961, 0.42605512900978937, 0.41171936804058085};
        for (int seed = 0; seed < optuna.length; seed++) {
            assertThat(bestOf100(BenchFunction.BRANIN, space, seed)).as("seed %d", seed).isCloseTo(optuna[seed], within(1e-9));
        }
    }

    @Test
    void hartmann6RunsRepeatOptunasTrialForTrial() {
        SearchSpace.Builder b = SearchSpace.builder();
        for (int i = 1; i <= 6; i++) {
            b.add(Param.uniform("x" + i, 0, 1));
        }
        SearchSpace space = b.build();
        double[] optuna = {-3.0431924783762154, -3.181526707317159};
        for (int seed = 0; seed < optuna.length; seed++) {
            assertThat(bestOf100(BenchFunction.HARTMANN6, space, seed)).as("seed %d", seed).isCloseTo(optuna[seed], within(1e-9));
        }
    }
}
