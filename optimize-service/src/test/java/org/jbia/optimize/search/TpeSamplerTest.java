package org.jbia.optimize.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jbia.common.schema.InvalidSpecException;
import org.junit.jupiter.api.Test;

class TpeSamplerTest {
    private static final SearchSpace UNIT = SearchSpace.builder().add(Param.uniform("x", 0, 1)).build();

    /** Runs {@code trials} sequential trials and returns the history. */
    private static List<TrialRecord> run(Sampler sampler, SearchSpace space, int trials,
                                         ToDoubleFunction<Map<String, Object>> objective) {
        List<TrialRecord> history = new ArrayList<>();
        for (int t = 0; t < trials; t++) {
            Map<String, Object> p = sampler.sample(space, history, t);
            history.add(TrialRecord.complete(t, p, objective.applyAsDouble(p)));
        }
        return history;
    }

    private static double x(Map<String, Object> p) {
        return (Double) p.get("x");
    }

    private static double x(TrialRecord t) {
        return x(t.params());
    }

    @Test
    void sameSeedGivesTheSameSequenceAndAnotherSeedDoesNot() {
        ToDoubleFunction<Map<String, Object>> f = p -> Math.pow(x(p) - 0.3, 2);
        List<TrialRecord> a = run(new TpeSampler(Direction.MINIMIZE, 7), UNIT, 30, f);
        List<TrialRecord> b = run(new TpeSampler(Direction.MINIMIZE, 7), UNIT, 30, f);
        List<TrialRecord> c = run(new TpeSampler(Direction.MINIMIZE, 8), UNIT, 30, f);
        assertThat(a).isEqualTo(b);
        assertThat(a.stream().map(TrialRecord::params).toList()).isNotEqualTo(c.stream().map(TrialRecord::params).toList());
    }

    @Test
    void aDrawDependsOnlyOnSeedHistoryAndTrialNumberSoAResumedStudyRepeatsIt() {
        List<TrialRecord> history = run(new TpeSampler(Direction.MINIMIZE, 3), UNIT, 20, p -> x(p));
        Map<String, Object> first = new TpeSampler(Direction.MINIMIZE, 3).sample(UNIT, history, 20);
        // A fresh sampler (as after a restart) with the history in another order gives the same draw.
        List<TrialRecord> shuffled = new ArrayList<>(history);
        java.util.Collections.reverse(shuffled);
        assertThat(new TpeSampler(Direction.MINIMIZE, 3).sample(UNIT, shuffled, 20)).isEqualTo(first);
    }

    /** Counts of 2000 startup draws of x in 10 equal bins. */
    private static int[] startupHistogram(List<TrialRecord> history) {
        TpeSampler sampler = new TpeSampler(Direction.MINIMIZE, 11);
        int[] bins = new int[10];
        for (int t = 1000; t < 3000; t++) {
            bins[(int) (x(sampler.sample(UNIT, history, t)) * 10)]++;
        }
        return bins;
    }

    @Test
    void startupTrialsAreUniformWhateverTheHistorySays() {
        // Nine finished trials all near 0.05 with good values: still under n_startup_trials = 10.
        List<TrialRecord> nine = new ArrayList<>();
        for (int t = 0; t < 9; t++) {
            nine.add(TrialRecord.complete(t, Map.of("x", 0.05 + 0.001 * t), 0.0));
        }
        for (int[] bins : List.of(startupHistogram(List.of()), startupHistogram(nine))) {
            // Expected 200 per bin, sd about 13.4: ±60 is more than 4 sd.
            assertThat(Arrays.stream(bins).boxed().toList()).as(Arrays.toString(bins)).allSatisfy(n -> assertThat(n).isBetween(140, 260));
        }
    }

    @Test
    void afterStartupTheSamplerConcentratesNearTheOptimum() {
        List<TrialRecord> tpe = run(new TpeSampler(Direction.MINIMIZE, 5), UNIT, 80, p -> Math.pow(x(p) - 0.7, 2));
        List<TrialRecord> late = tpe.subList(40, 80);
        long near = late.stream().filter(t -> Math.abs(x(t) - 0.7) < 0.1).count();
        // Uniform draws land within 0.1 of 0.7 a fifth of the time (8 of 40).
        assertThat(near).isGreaterThanOrEqualTo(24);
        double best = tpe.stream().mapToDouble(TrialRecord::value).min().orElseThrow();
        assertThat(best).isLessThan(1e-3);
    }

    @Test
    void maximisationConcentratesNearTheMaximum() {
        List<TrialRecord> tpe = run(new TpeSampler(Direction.MAXIMIZE, 5), UNIT, 80, p -> -Math.pow(x(p) - 0.2, 2));
        long near = tpe.subList(40, 80).stream().filter(t -> Math.abs(x(t) - 0.2) < 0.1).count();
        assertThat(near).isGreaterThanOrEqualTo(24);
    }

    @Test
    void failedTrialsDoNotCountTowardsStartupButPrunedOnesDo() {
        TpeSampler sampler = new TpeSampler(Direction.MINIMIZE, 2);
        Map<String, Object> fresh = sampler.sample(UNIT, List.of(), 50);
        List<TrialRecord> failed = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            failed.add(TrialRecord.failed(t, Map.of("x", 0.05 + 0.08 * t)));
        }
        assertThat(sampler.sample(UNIT, failed, 50)).isEqualTo(fresh);
    }

    @Test
    void prunedTrialsRankByTheDeepestStepReachedThenByValue() {
        // Trials 0 and 1 (x near 0.1) got furthest before being pruned, despite worse values there;
        // gamma(12) = 2 makes exactly them the "good" group, so TPE proposes values near them.
        List<TrialRecord> pruned = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            boolean deep = t < 2;
            pruned.add(TrialRecord.pruned(t, Map.of("x", 0.05 + 0.08 * t), Map.of(deep ? 5 : 0, deep ? 100.0 : t)));
        }
        TpeSampler sampler = new TpeSampler(Direction.MINIMIZE, 2);
        long nearDeep = 0;
        for (int t = 50; t < 90; t++) {
            nearDeep += x(sampler.sample(UNIT, pruned, t)) < 0.25 ? 1 : 0;
        }
        // Uniform draws would land below 0.25 a quarter of the time (10 of 40).
        assertThat(nearDeep).isGreaterThanOrEqualTo(25);
    }

    private static List<TrialRecord> quadraticHistory() {
        return run(new TpeSampler(Direction.MINIMIZE, 4), UNIT, 30, p -> Math.pow(x(p) - 0.5, 2));
    }

    @Test
    void constantLiarMovesAConcurrentAskAwayFromARunningTrial() {
        List<TrialRecord> history = quadraticHistory();
        TpeSampler liar = new TpeSampler(Direction.MINIMIZE, 4);
        TpeSampler noLiar = new TpeSampler(TpeSampler.Options.defaults(Direction.MINIMIZE, 4).withConstantLiar(false));
        Map<String, Object> first = liar.sample(UNIT, history, 31);
        List<TrialRecord> withRunning = new ArrayList<>(history);
        withRunning.add(TrialRecord.running(30, first));
        // Same trial number, same random stream: only the running trial can change the answer.
        assertThat(liar.sample(UNIT, withRunning, 31)).isNotEqualTo(first);
        assertThat(noLiar.sample(UNIT, withRunning, 31)).isEqualTo(noLiar.sample(UNIT, history, 31));
    }

    @Test
    void constantLiarSteersParallelAsksAwayFromWhereTheRunningTrialsAre() {
        List<TrialRecord> history = quadraticHistory();
        TpeSampler noLiar = new TpeSampler(TpeSampler.Options.defaults(Direction.MINIMIZE, 9).withConstantLiar(false));
        TpeSampler liar = new TpeSampler(Direction.MINIMIZE, 9);
        double[] alone = new double[40];
        for (int t = 0; t < 40; t++) {
            alone[t] = x(noLiar.sample(UNIT, history, 40 + t));
        }
        // Where the sampler goes on its own; now let four workers be evaluating exactly that point.
        double[] sorted = alone.clone();
        Arrays.sort(sorted);
        double hot = sorted[20];
        List<TrialRecord> busy = new ArrayList<>(history);
        for (int i = 0; i < 4; i++) {
            busy.add(TrialRecord.running(30 + i, Map.of("x", hot)));
        }
        long nearAlone = Arrays.stream(alone).filter(v -> Math.abs(v - hot) < 0.02).count();
        long nearBusy = 0;
        long nearBusyNoLiar = 0;
        for (int t = 0; t < 40; t++) {
            nearBusy += Math.abs(x(liar.sample(UNIT, busy, 40 + t)) - hot) < 0.02 ? 1 : 0;
            nearBusyNoLiar += Math.abs(x(noLiar.sample(UNIT, busy, 40 + t)) - hot) < 0.02 ? 1 : 0;
        }
        assertThat(nearAlone).isGreaterThanOrEqualTo(10);
        assertThat(nearBusyNoLiar).isEqualTo(nearAlone);
        assertThat(nearBusy).isLessThanOrEqualTo(nearAlone / 2);
    }

    private static final SearchSpace MIXED = SearchSpace.builder()
            .add(Param.stepped("dropout", 0, 0.5, 0.01))
            .add(Param.integer("filters", 12, 516, 12))
            .add(Param.logInteger("batch_size", 1, 300))
            .add(Param.logUniform("lr", 1e-6, 1e-3))
            .add(Param.stepped("lr_grid", 1e-6, 1e-3, 5e-6))
            .add(Param.categorical("model_reg", null, "local_response", "batch_norm"))
            .add(Param.categorical("nesterov", true, false))
            .add(Param.integer("num_aug", 3, 3))
            .build();

    @Test
    void everyDrawStaysInItsDomainAndOnItsGrid() {
        for (boolean multivariate : new boolean[] {false, true}) {
            TpeSampler sampler = new TpeSampler(TpeSampler.Options.defaults(Direction.MINIMIZE, 13).withMultivariate(multivariate));
            // An arbitrary but deterministic objective so that TPE has something to model.
            List<TrialRecord> history = run(sampler, MIXED, 60, p -> Math.abs(p.toString().hashCode() % 1000) / 1000.0);
            for (TrialRecord t : history) {
                assertThat(t.params()).containsOnlyKeys("dropout", "filters", "batch_size", "lr", "lr_grid", "model_reg",
                        "nesterov", "num_aug");
                for (Param p : MIXED.params()) {
                    assertThat(p.contains(t.params().get(p.name()))).as(p.name() + " = " + t.params().get(p.name())).isTrue();
                }
                assertThat(t.params().get("filters")).isInstanceOf(Integer.class);
                assertThat(t.params().get("lr")).isInstanceOf(Double.class);
                assertThat((Double) t.params().get("lr_grid")).isLessThanOrEqualTo(9.96e-4);
                assertThat(t.params().get("num_aug")).isEqualTo(3);
            }
            // All three model_reg choices, None included, come up.
            assertThat(history.stream().map(t -> String.valueOf(t.params().get("model_reg"))).distinct())
                    .containsExactlyInAnyOrder("null", "local_response", "batch_norm");
        }
    }

    @Test
    void gridParametersAreModelledOnTheirGrid() {
        // Best at filters = 240: TPE should find exactly that grid point.
        SearchSpace space = SearchSpace.builder().add(Param.integer("filters", 12, 516, 12)).build();
        List<TrialRecord> history = run(new TpeSampler(Direction.MINIMIZE, 21), space, 60,
                p -> Math.abs((Integer) p.get("filters") - 240));
        assertThat(history.stream().mapToDouble(TrialRecord::value).min().orElseThrow()).isZero();
    }

    private static final SearchSpace CONDITIONAL = SearchSpace.builder()
            .add(Param.categorical("optimizer", "sgd", "adam"))
            .add(Param.uniform("momentum", 0, 1).when("optimizer", "sgd"))
            .add(Param.uniform("beta_1", 0, 1).when("optimizer", "adam"))
            .add(Param.categorical("amsgrad", true, false).when("beta_1", 0.5))
            .build();

    @Test
    void conditionalParametersArePresentExactlyWhenTheirParentAllows() {
        List<TrialRecord> history = run(new TpeSampler(Direction.MINIMIZE, 17), CONDITIONAL, 60, p ->
                "adam".equals(p.get("optimizer")) ? Math.abs((Double) p.get("beta_1") - 0.9) : 1 + (Double) p.get("momentum"));
        for (TrialRecord t : history) {
            if ("sgd".equals(t.params().get("optimizer"))) {
                assertThat(t.params()).containsOnlyKeys("optimizer", "momentum");
            } else {
                assertThat(t.params()).containsOnlyKeys("optimizer", "beta_1");
            }
        }
        // beta_1 is modelled from the adam trials alone: late adam trials sit near 0.9.
        List<TrialRecord> lateAdam = history.subList(30, 60).stream().filter(t -> t.params().containsKey("beta_1")).toList();
        assertThat(lateAdam.size()).isGreaterThanOrEqualTo(20);
        double[] d = lateAdam.stream().mapToDouble(t -> Math.abs((Double) t.params().get("beta_1") - 0.9)).sorted().toArray();
        assertThat(d[d.length / 2]).isLessThan(0.1);
    }

    @Test
    void valuesFromAnOlderSpaceAreIgnored() {
        List<TrialRecord> history = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            history.add(TrialRecord.complete(t, Map.of("x", 5.0 + t), t));
        }
        Map<String, Object> p = new TpeSampler(Direction.MINIMIZE, 1).sample(UNIT, history, 20);
        assertThat(UNIT.param("x").contains(p.get("x"))).isTrue();
    }

    @Test
    void optionsAreValidatedWithTheirNames() {
        assertThatThrownBy(() -> new TpeSampler.Options(Direction.MINIMIZE, 0, -1, 0, true, 0, true, false, true, true, false))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("n_startup_trials = -1")
                .hasMessageContaining("n_ei_candidates = 0")
                .hasMessageContaining("prior_weight = 0.0");
    }

    @Test
    void gammaIsOptunasDefault() {
        int[] n = {1, 10, 11, 30, 100, 249, 250, 251, 1000};
        int[] expected = {1, 1, 2, 3, 10, 25, 25, 25, 25};
        assertThat(Arrays.stream(n).map(TpeSampler::gamma).toArray()).containsExactly(expected);
    }
}
