package org.jbia.train.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BinaryLossTest {

    @Test
    void binaryCrossEntropyIsMinusLogOfTheRightProbability() {
        BinaryLoss bce = BinaryLoss.of("binary_crossentropy", null);
        assertThat(bce.value(0.8, 1)).isCloseTo(-Math.log(0.8), within(1e-12));
        assertThat(bce.value(0.8, 0)).isCloseTo(-Math.log(0.2), within(1e-12));
        // Keras clips at 1e-7
        assertThat(bce.value(0.0, 1)).isCloseTo(-Math.log(1e-7), within(1e-9));
    }

    @Test
    void weightedCrossEntropyWeightsOnlyThePositiveTerm() {
        BinaryLoss w = BinaryLoss.of("weighted_binary_crossentropy", 3.0);
        float[] p = {0.9f, 0.4f, 0.3f};
        float[] y = {1, 1, 0};
        double expected = (3 * -Math.log(0.9f) + 3 * -Math.log(0.4f) - Math.log(1 - 0.3f)) / 7;
        assertThat(w.mean(p, y)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void weightedCrossEntropyEqualsCrossEntropyWithPositivesRepeated() {
        BinaryLoss w = BinaryLoss.of("weighted_binary_crossentropy", 3.0);
        BinaryLoss bce = BinaryLoss.of("binary_crossentropy", null);
        float[] p = {0.9f, 0.2f, 0.6f, 0.1f};
        float[] y = {1, 0, 1, 0};
        float[] pr = {0.9f, 0.9f, 0.9f, 0.2f, 0.6f, 0.6f, 0.6f, 0.1f};
        float[] yr = {1, 1, 1, 0, 1, 1, 1, 0};
        assertThat(w.mean(p, y)).isCloseTo(bce.mean(pr, yr), within(1e-12));
    }

    @Test
    void focalLossActsOnProbabilities() {
        BinaryLoss focal = BinaryLoss.of("focal_loss", null);
        // 0.25 · (1 − pt)² · (−log pt), pt = 0.7
        assertThat(focal.value(0.7, 1)).isCloseTo(0.25 * 0.09 * -Math.log(0.7), within(1e-12));
        assertThat(focal.value(0.7, 0)).isCloseTo(0.25 * 0.49 * -Math.log(0.3), within(1e-12));
    }

    @Test
    void hingeUsesPlusMinusOneLabels() {
        BinaryLoss hinge = BinaryLoss.of("hinge", null);
        assertThat(hinge.value(0.7, 1)).isCloseTo(0.3, within(1e-12));
        assertThat(hinge.value(0.7, 0)).isCloseTo(1.7, within(1e-12));
    }

    /** The closed-form gradient with respect to the logit matches a central difference of the value. */
    @ParameterizedTest
    @ValueSource(strings = {"binary_crossentropy", "weighted_binary_crossentropy", "focal_loss", "hinge"})
    void gradientMatchesFiniteDifferences(String name) {
        BinaryLoss loss = BinaryLoss.of(name, 2.0);
        for (double z : new double[] {-3, -0.7, 0.2, 1.5}) {
            for (double y : new double[] {0, 1}) {
                double h = 1e-5;
                double numeric = (loss.value(sigmoid(z + h), y) - loss.value(sigmoid(z - h), y)) / (2 * h);
                assertThat(loss.gradientWrtLogit(sigmoid(z), y)).as("%s at z=%s y=%s", name, z, y)
                        .isCloseTo(numeric, within(1e-6));
            }
        }
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void unknownLossAndMissingWeightAreRefused() {
        assertThatThrownBy(() -> BinaryLoss.of("dice_loss", null)).hasMessageContaining("loss = 'dice_loss'")
                .hasMessageContaining("binary_crossentropy, weighted_binary_crossentropy, focal_loss, hinge");
        assertThatThrownBy(() -> BinaryLoss.of("weighted_binary_crossentropy", null))
                .hasMessageContaining("weight = null").hasMessageContaining("weight > 0");
    }
}
