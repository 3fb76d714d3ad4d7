package org.jbia.train.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The test-set metrics a study scores trials on (pyBIA's post_metric and test_acc_threshold): loss,
 * accuracy and F1 on the test images, with both classes or with negatives only (pyBIA's paper tests on
 * 1000 negatives alone).
 */
class TestSetMetricsTest {

    @Test
    void aRunWithTestImagesReportsTheirLossAccuracyAndF1() {
        TrainingOutcome out = TrainingJob.run(new TrainingData(TrainingJobTest.P, TrainingJobTest.N, null, null,
                TrainingJobTest.TEST_P, TrainingJobTest.TEST_N), TrainingJobTest.spec(Map.of("epochs", 4)), 7, null);
        assertThat(out.metrics()).containsKeys("test_loss", "test_binary_accuracy", "test_f1_score");
        // The toy classes are separable: a trained model classifies most test images right.
        assertThat(out.metrics().get("test_binary_accuracy")).isGreaterThan(0.7);
        assertThat(out.metrics().get("test_loss")).isPositive().isFinite();
    }

    @Test
    void negativesAloneStillGiveATestAccuracy() {
        TrainingOutcome out = TrainingJob.run(new TrainingData(TrainingJobTest.P, TrainingJobTest.N, null, null, null,
                TrainingJobTest.TEST_N), TrainingJobTest.spec(Map.of("epochs", 4)), 7, null);
        assertThat(out.metrics()).containsKeys("test_loss", "test_binary_accuracy");
        assertThat(out.metrics()).doesNotContainKey("auroc");
        assertThat(out.metrics().get("test_binary_accuracy")).isBetween(0.0, 1.0);
    }

    @Test
    void withoutTestImagesThereAreNoTestMetrics() {
        TrainingOutcome out = TrainingJob.run(new TrainingData(TrainingJobTest.P, TrainingJobTest.N, null, null, null,
                null), TrainingJobTest.spec(Map.of("epochs", 1)), 7, null);
        assertThat(out.metrics().keySet()).noneMatch(k -> k.startsWith("test_"));
    }
}
