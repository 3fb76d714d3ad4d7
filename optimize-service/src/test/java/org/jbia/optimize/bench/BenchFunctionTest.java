package org.jbia.optimize.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.jbia.optimize.search.Direction;
import org.jbia.optimize.search.RandomSampler;
import org.jbia.optimize.search.TpeSampler;
import org.junit.jupiter.api.Test;

class BenchFunctionTest {

    @Test
    void braninHasItsThreeKnownMinima() {
        for (double[] x : new double[][] {{-Math.PI, 12.275}, {Math.PI, 2.275}, {9.42478, 2.475}}) {
            assertThat(BenchFunction.BRANIN.evaluate(Map.of("x1", x[0], "x2", x[1]))).isCloseTo(0.397887, within(1e-5));
        }
        assertThat(BenchFunction.BRANIN.evaluate(Map.of("x1", 0.0, "x2", 0.0))).isCloseTo(55.60, within(0.01));
    }

    @Test
    void hartmann6HasItsKnownMinimum() {
        double[] opt = {0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573};
        Map<String, Object> p = new java.util.HashMap<>();
        for (int i = 0; i < 6; i++) {
            p.put("x" + (i + 1), opt[i]);
        }
        assertThat(BenchFunction.HARTMANN6.evaluate(p)).isCloseTo(-3.32237, within(1e-5));
    }

    @Test
    void mixedIsAsInTheOptunaReference() {
        assertThat(BenchFunction.MIXED.evaluate(Map.of("c", "a", "n", 24, "lr", 1e-3))).isCloseTo(0.0, within(1e-12));
        // offset(d) 1.5 + (log10(1e-2) + 3)^2 = 1 + ((40 - 24) / 16)^2 = 1
        assertThat(BenchFunction.MIXED.evaluate(Map.of("c", "d", "n", 40, "lr", 1e-2))).isCloseTo(3.5, within(1e-12));
    }

    @Test
    void tpeBeatsRandomSearchOnTheMixedProblem() {
        double tpe = TpeBench.mean(TpeBench.bests(BenchFunction.MIXED, 60, 4, s -> new TpeSampler(Direction.MINIMIZE, s)));
        double random = TpeBench.mean(TpeBench.bests(BenchFunction.MIXED, 60, 4, RandomSampler::new));
        assertThat(tpe).isLessThan(random / 3);
    }

    @Test
    void unknownFunctionNamesAreRejectedWithTheChoices() {
        assertThatThrownBy(() -> BenchFunction.named("rosenbrock"))
                .hasMessage("--function = 'rosenbrock' is not allowed: expected one of branin, hartmann6, mixed");
    }
}
