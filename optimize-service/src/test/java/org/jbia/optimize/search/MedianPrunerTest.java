package org.jbia.optimize.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jbia.common.schema.InvalidSpecException;
import org.junit.jupiter.api.Test;

class MedianPrunerTest {

    /** Completed trial {@code number} whose loss at step s is {@code values[s]}. */
    private static TrialRecord completed(int number, double... values) {
        TreeMap<Integer, Double> iv = new TreeMap<>();
        for (int s = 0; s < values.length; s++) {
            iv.put(s, values[s]);
        }
        return new TrialRecord(number, TrialState.COMPLETE, Map.of(), values[values.length - 1], iv);
    }

    private static TrialRecord running(int number, double... values) {
        TrialRecord t = TrialRecord.running(number, Map.of());
        for (int s = 0; s < values.length; s++) {
            t = t.withIntermediate(s, values[s]);
        }
        return t;
    }

    /** Five completed trials; at step 1 their losses are 1..5, median 3. */
    private static List<TrialRecord> five() {
        List<TrialRecord> h = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            h.add(completed(i, 10 + i, 1 + i, 0.5 + i));
        }
        return h;
    }

    @Test
    void prunesATrialWorseThanTheMedianAtItsStep() {
        MedianPruner pruner = new MedianPruner(Direction.MINIMIZE);
        assertThat(pruner.shouldPrune(running(9, 20, 3.5), five())).isTrue();
        assertThat(pruner.shouldPrune(running(9, 20, 2.5), five())).isFalse();
        // Equal to the median is not worse.
        assertThat(pruner.shouldPrune(running(9, 20, 3.0), five())).isFalse();
    }

    @Test
    void comparesTheTrialsBestValueSoFarAsOptunaDoes() {
        // Its loss at step 1 (4.0) is worse than the median there (3), but its best so far (2.0, step 0) is not.
        assertThat(new MedianPruner(Direction.MINIMIZE).shouldPrune(running(9, 2.0, 4.0), five())).isFalse();
    }

    @Test
    void neverPrunesBeforeFiveTrialsHaveCompleted() {
        List<TrialRecord> four = five().subList(0, 4);
        List<TrialRecord> withOthers = new ArrayList<>(four);
        withOthers.add(TrialRecord.pruned(7, Map.of(), Map.of(0, 1.0)));
        withOthers.add(running(8, 1.0, 1.0));
        assertThat(new MedianPruner(Direction.MINIMIZE).shouldPrune(running(9, 99, 99), withOthers)).isFalse();
        assertThat(new MedianPruner(Direction.MINIMIZE).shouldPrune(running(9, 99, 99), five())).isTrue();
    }

    @Test
    void interpolatesTheMedianOfAnEvenCount() {
        // Four completed, losses at step 1 are 1..4: median 2.5.
        MedianPruner pruner = new MedianPruner(Direction.MINIMIZE, 4, 0, 1, 1);
        List<TrialRecord> four = five().subList(0, 4);
        assertThat(pruner.shouldPrune(running(9, 20, 2.6), four)).isTrue();
        assertThat(pruner.shouldPrune(running(9, 20, 2.4), four)).isFalse();
    }

    @Test
    void waitsForTheWarmupSteps() {
        MedianPruner pruner = new MedianPruner(Direction.MINIMIZE, 5, 2, 1, 1);
        assertThat(pruner.shouldPrune(running(9, 99, 99), five())).isFalse();
        assertThat(pruner.shouldPrune(running(9, 99, 99, 99), five())).isTrue();
    }

    @Test
    void checksOnlyAtIntervalSteps() {
        List<TrialRecord> h = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            h.add(completed(i, 1, 1, 1, 1));
        }
        MedianPruner pruner = new MedianPruner(Direction.MINIMIZE, 5, 0, 2, 1);
        assertThat(pruner.shouldPrune(running(9, 9, 9), h)).isFalse();
        assertThat(pruner.shouldPrune(running(9, 9, 9, 9), h)).isTrue();
    }

    @Test
    void maximisationPrunesTrialsBelowTheMedian() {
        MedianPruner pruner = new MedianPruner(Direction.MAXIMIZE);
        assertThat(pruner.shouldPrune(running(9, 0, 2.5), five())).isTrue();
        assertThat(pruner.shouldPrune(running(9, 0, 3.5), five())).isFalse();
    }

    @Test
    void prunesAllNanTrialsAndSkipsStepsNobodyReached() {
        MedianPruner pruner = new MedianPruner(Direction.MINIMIZE);
        assertThat(pruner.shouldPrune(running(9, Double.NaN, Double.NaN), five())).isTrue();
        // Step 7: no completed trial reported there, so there is nothing to compare with.
        TrialRecord far = TrialRecord.running(9, Map.of()).withIntermediate(7, 99.0);
        assertThat(pruner.shouldPrune(far, five())).isFalse();
        assertThat(pruner.shouldPrune(TrialRecord.running(9, Map.of()), five())).isFalse();
    }

    @Test
    void noneNeverPrunes() {
        assertThat(Pruner.NONE.shouldPrune(running(9, 99, 99), five())).isFalse();
    }

    @Test
    void rejectsBadSettingsNamingThem() {
        assertThatThrownBy(() -> new MedianPruner(Direction.MINIMIZE, -1, -2, 0, 0))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("n_startup_trials = -1")
                .hasMessageContaining("n_warmup_steps = -2")
                .hasMessageContaining("interval_steps = 0 is not allowed: it must be >= 1")
                .hasMessageContaining("n_min_trials = 0");
    }
}
