package org.jbia.optimize.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamImportanceTest {
    private static final SearchSpace SPACE = SearchSpace.builder()
            .add(Param.uniform("x", 0, 1))
            .add(Param.logUniform("lr", 1e-5, 1e-1))
            .add(Param.categorical("noise", "a", "b", "c"))
            .add(Param.uniform("momentum", 0, 1).when("noise", "a"))
            .build();

    private static List<TrialRecord> trials(java.util.function.ToDoubleFunction<Map<String, Object>> f) {
        RandomSampler random = new RandomSampler(3);
        List<TrialRecord> out = new ArrayList<>();
        for (int t = 0; t < 300; t++) {
            Map<String, Object> p = random.sample(SPACE, out, t);
            out.add(TrialRecord.complete(t, p, f.applyAsDouble(p)));
        }
        return out;
    }

    @Test
    void ranksParametersByTheVarianceTheyExplain() {
        Map<String, Double> imp = ParamImportance.estimate(SPACE, trials(p -> {
            double x = (Double) p.get("x");
            double lr = Math.log10((Double) p.get("lr"));
            return 10 * (x - 0.5) * (x - 0.5) + 0.4 * (lr + 3) * (lr + 3);
        }));
        // noise and momentum explain nothing: their order between themselves is the sample's luck.
        assertThat(imp.keySet()).startsWith("x", "lr").containsExactlyInAnyOrder("x", "lr", "noise", "momentum");
        assertThat(imp.get("x")).isGreaterThan(imp.get("lr"));
        assertThat(imp.get("lr")).isGreaterThan(0.1);
        assertThat(imp.get("noise") + imp.get("momentum")).isLessThan(0.05);
        assertThat(imp.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aConditionalParameterCountsWhereItIsPresent() {
        Map<String, Double> imp = ParamImportance.estimate(SPACE, trials(p ->
                p.containsKey("momentum") ? 5 * (Double) p.get("momentum") : 0));
        assertThat(imp.keySet().iterator().next()).isIn("momentum", "noise");
        assertThat(imp.get("x") + imp.get("lr")).isLessThan(0.05);
    }

    @Test
    void allZeroWhenNothingVaries() {
        Map<String, Double> imp = ParamImportance.estimate(SPACE, trials(p -> 1.0));
        assertThat(imp.values()).containsOnly(0.0);
        assertThat(ParamImportance.estimate(SPACE, List.of()).values()).containsOnly(0.0);
    }
}
