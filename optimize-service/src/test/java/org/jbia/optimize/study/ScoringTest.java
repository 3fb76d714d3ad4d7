package org.jbia.optimize.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.study.OptimizeSpec;
import org.jbia.optimize.search.TrialState;
import org.junit.jupiter.api.Test;

class ScoringTest {

    static OptimizeSpec o(String json) {
        return JsonCodec.decode(json, OptimizeSpec.class);
    }

    /** Epochs with loss, binary_accuracy and f1_score as given, val_ ones 0.1 worse. */
    static List<Map<String, Double>> history(double[] loss, double[] accuracy, double[] f1) {
        List<Map<String, Double>> h = new ArrayList<>();
        for (int e = 0; e < loss.length; e++) {
            h.add(Map.of("loss", loss[e], "binary_accuracy", accuracy[e], "f1_score", f1[e], "val_loss", loss[e] + 0.1,
                    "val_binary_accuracy", accuracy[e] - 0.1, "val_f1_score", f1[e] - 0.1));
        }
        return h;
    }

    static Scoring.FoldResult fold(List<Map<String, Double>> h, Map<String, Double> metrics) {
        return new Scoring.FoldResult(h, h.size(), "epochs", metrics);
    }

    private static final List<Map<String, Double>> H = history(new double[] {0.6, 0.4, 0.2},
            new double[] {0.6, 0.7, 0.8}, new double[] {0.5, 0.6, 0.9});

    @Test
    void aLossIsTurnedIntoOneMinusItsMeanOverEpochs() {
        Scoring.Outcome out = Scoring.score(o("{\"train_epochs\": 3}"), List.of(fold(H, Map.of())), false);
        assertThat(out.state()).isEqualTo(TrialState.COMPLETE);
        assertThat(out.value()).isCloseTo(1 - 0.4, within(1e-12));
    }

    @Test
    void withoutAverageTheLastEpochCounts() {
        assertThat(Scoring.score(o("{\"train_epochs\": 3, \"average\": false, \"metric\": \"val_binary_accuracy\"}"),
                List.of(fold(H, Map.of())), false).value()).isCloseTo(0.7, within(1e-12));
    }

    @Test
    void foldsAreAveraged() {
        List<Map<String, Double>> other = history(new double[] {0.2, 0.2, 0.2}, new double[] {1, 1, 1},
                new double[] {1, 1, 1});
        double v = Scoring.score(o("{\"train_epochs\": 3, \"metric\": \"binary_accuracy\"}"),
                List.of(fold(H, Map.of()), fold(other, Map.of())), false).value();
        assertThat(v).isCloseTo((0.7 + 1.0) / 2, within(1e-12));
    }

    @Test
    void allIsTheMeanOfAccuracyAndF1AgainstOneMinusLoss() {
        double a = (0.7 + (0.5 + 0.6 + 0.9) / 3) / 2;
        double l = 1 - 0.4;
        assertThat(Scoring.score(o("{\"train_epochs\": 3, \"metric\": \"all\"}"), List.of(fold(H, Map.of())), false)
                .value()).isCloseTo((a + l) / 2, within(1e-12));
        double va = (0.6 + (0.4 + 0.5 + 0.8) / 3) / 2;
        double vl = 1 - 0.5;
        assertThat(Scoring.score(o("{\"train_epochs\": 3, \"metric\": \"val_all\"}"), List.of(fold(H, Map.of())),
                false).value()).isCloseTo((va + vl) / 2, within(1e-12));
    }

    @Test
    void theTestMetricIsAveragedInWhenPostMetricIsOn() {
        Map<String, Double> test = Map.of("test_loss", 0.3, "test_binary_accuracy", 0.9, "test_f1_score", 0.8);
        assertThat(Scoring.score(o("{\"train_epochs\": 3}"), List.of(fold(H, test)), true).value())
                .isCloseTo((0.6 + 0.7) / 2, within(1e-12));
        assertThat(Scoring.score(o("{\"train_epochs\": 3, \"metric\": \"f1_score\"}"), List.of(fold(H, test)), true)
                .value()).isCloseTo(((0.5 + 0.6 + 0.9) / 3 + 0.8) / 2, within(1e-12));
        assertThat(Scoring.score(o("{\"train_epochs\": 3, \"post_metric\": false}"), List.of(fold(H, test)), true)
                .value()).isCloseTo(0.6, within(1e-12));
    }

    @Test
    void lowTestAccuracyPrunesTheTrialWithTheReason() {
        Map<String, Double> test = Map.of("test_loss", 0.3, "test_binary_accuracy", 0.4, "test_f1_score", 0.0);
        Scoring.Outcome out = Scoring.score(o("{\"train_epochs\": 3, \"test_acc_threshold\": 0.5}"),
                List.of(fold(H, test)), true);
        assertThat(out.state()).isEqualTo(TrialState.PRUNED);
        assertThat(out.reason()).isEqualTo("test accuracy 0.4000 < test_acc_threshold 0.5");
    }

    @Test
    void aRunStoppedByPatienceIsPrunedNotScoredMinus999() {
        List<Map<String, Double>> rising = history(new double[] {0.5, 0.6, 0.7}, new double[] {0.5, 0.5, 0.5},
                new double[] {0.5, 0.5, 0.5});
        Scoring.Outcome out = Scoring.score(o("{\"train_epochs\": 10, \"patience\": 2}"),
                List.of(new Scoring.FoldResult(rising, 3, "early_stopping", Map.of())), false);
        assertThat(out.state()).isEqualTo(TrialState.PRUNED);
        assertThat(out.value()).isNull();
        assertThat(out.reason()).isEqualTo("early stopping: metric loss did not improve for 2 epochs (best 0.5000 at "
                + "epoch 1)");
    }

    @Test
    void metric2AndMetric3StopWithTheSamePatience() {
        List<Map<String, Double>> h = history(new double[] {0.5, 0.4, 0.3, 0.2}, new double[] {0.5, 0.5, 0.5, 0.5},
                new double[] {0.6, 0.7, 0.8, 0.9});
        assertThat(Scoring.score(o("{\"train_epochs\": 4, \"patience\": 2, \"metric2\": \"binary_accuracy\"}"),
                List.of(fold(h, Map.of())), false).reason()).isEqualTo("early stopping: metric2 binary_accuracy did "
                + "not improve for 2 epochs (best 0.5000 at epoch 1)");
        assertThat(StoppingRules.firstStop(o("{\"patience\": 2, \"metric3\": \"val_binary_accuracy\"}"), h, 4).epoch())
                .isEqualTo(3);
        // Without patience pyBIA adds no metric2/metric3 stopping.
        assertThat(Scoring.score(o("{\"train_epochs\": 4, \"patience\": 0, \"metric2\": \"binary_accuracy\"}"),
                List.of(fold(h, Map.of())), false).state()).isEqualTo(TrialState.COMPLETE);
    }

    @Test
    void monitorsStopLossesAtOrBelowAndOthersAbove() {
        List<Map<String, Double>> h = history(new double[] {0.5, 0.01, 0.001}, new double[] {0.9, 0.95, 0.999},
                new double[] {0.9, 0.95, 0.999});
        assertThat(Scoring.score(o("{\"train_epochs\": 3, \"patience\": 0, \"monitor1\": \"binary_accuracy\", "
                + "\"monitor1_thresh\": 0.94, \"monitor2\": \"loss\", \"monitor2_thresh\": 0.01}"),
                List.of(fold(h, Map.of())), false).reason())
                .isEqualTo("monitor1: binary_accuracy = 0.9500 > 0.9400 at epoch 2");
        assertThat(Scoring.score(o("{\"train_epochs\": 3, \"patience\": 0, \"monitor2\": \"loss\", "
                + "\"monitor2_thresh\": 0.5}"), List.of(fold(h, Map.of())), false).reason())
                .isEqualTo("monitor2: loss = 0.5000 <= 0.5000 at epoch 1");
        // A rule that fires at the last epoch ends nothing: all epochs ran.
        assertThat(Scoring.score(o("{\"train_epochs\": 3, \"patience\": 0, \"monitor1\": \"loss\", "
                + "\"monitor1_thresh\": 0.005}"), List.of(fold(h, Map.of())), false).state())
                .isEqualTo(TrialState.COMPLETE);
    }

    @Test
    void aNonFiniteLossFailsTheTrial() {
        List<Map<String, Double>> h = history(new double[] {0.5, Double.NaN}, new double[] {0.5, 0.5},
                new double[] {0.5, 0.5});
        Scoring.Outcome out = Scoring.score(o("{\"train_epochs\": 5}"),
                List.of(new Scoring.FoldResult(h, 2, "non_finite_loss", Map.of())), false);
        assertThat(out.state()).isEqualTo(TrialState.FAIL);
        assertThat(out.reason()).isEqualTo("non-finite loss NaN at epoch 2");
    }

    @Test
    void theFirstBadFoldDecidesAndNamesItself() {
        List<Map<String, Double>> stopped = history(new double[] {0.5}, new double[] {0.5}, new double[] {0.5});
        Scoring.Outcome out = Scoring.score(o("{\"train_epochs\": 3}"), List.of(fold(H, Map.of()),
                new Scoring.FoldResult(stopped, 1, "early_stopping", Map.of())), false);
        assertThat(out.state()).isEqualTo(TrialState.PRUNED);
        assertThat(out.reason()).endsWith("(fold 2)");
    }

    @Test
    void theIntermediateValueIsTheScoreSoFar() {
        assertThat(Scoring.intermediate(o("{}"), H.subList(0, 2))).isCloseTo(1 - 0.5, within(1e-12));
        assertThat(Scoring.intermediate(o("{\"average\": false, \"metric\": \"f1_score\"}"), H.subList(0, 2)))
                .isCloseTo(0.6, within(1e-12));
    }
}
