package org.jbia.train.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    /** Feeds values until the rule says stop; returns the epoch at which it stopped (0 = never). */
    private static int stopEpoch(EarlyStopping rule, double... values) {
        for (int i = 0; i < values.length; i++) {
            rule.record(i + 1, values[i]);
            if (rule.shouldStop()) {
                return i + 1;
            }
        }
        return 0;
    }

    @Test
    void lossStopsAfterPatienceEpochsWithoutAStrictDecrease() {
        EarlyStopping rule = new EarlyStopping("loss", 2);
        // best at epoch 3 (0.5); epoch 4 equal (no improvement), epoch 5 worse -> stop at 5
        assertThat(stopEpoch(rule, 0.9, 0.7, 0.5, 0.5, 0.6, 0.1)).isEqualTo(5);
        assertThat(rule.bestEpoch()).isEqualTo(3);
        assertThat(rule.best()).isEqualTo(0.5);
    }

    @Test
    void accuracyIsMaximised() {
        EarlyStopping rule = new EarlyStopping("val_binary_accuracy", 3);
        assertThat(stopEpoch(rule, 0.5, 0.6, 0.55, 0.58, 0.61, 0.6, 0.6, 0.6, 0.9)).isEqualTo(8);
        assertThat(rule.bestEpoch()).isEqualTo(5);
    }

    @Test
    void anImprovementResetsTheCount() {
        EarlyStopping rule = new EarlyStopping("val_loss", 2);
        assertThat(stopEpoch(rule, 1.0, 1.1, 0.9, 1.0, 0.8, 0.85)).isZero();
        assertThat(rule.bestEpoch()).isEqualTo(5);
    }

    @Test
    void nanNeverImproves() {
        EarlyStopping rule = new EarlyStopping("loss", 1);
        assertThat(stopEpoch(rule, 0.5, Double.NaN)).isEqualTo(2);
    }

    @Test
    void patienceZeroNeverStops() {
        assertThat(stopEpoch(new EarlyStopping("f1_score", 0), 0.9, 0.1, 0.1, 0.1, 0.1)).isZero();
    }
}
