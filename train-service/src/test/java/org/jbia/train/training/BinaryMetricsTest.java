package org.jbia.train.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BinaryMetricsTest {
    // labels:        1    1    1    0    0    0    0
    // predicted > .5: 1    1    0    1    0    0    0   -> tp 2, fn 1, fp 1, tn 3
    private static final float[] P = {0.9f, 0.6f, 0.4f, 0.7f, 0.5f, 0.1f, 0.2f};
    private static final float[] Y = {1, 1, 1, 0, 0, 0, 0};

    @Test
    void f1IsThatOfThePositiveClass() {
        // precision 2/3, recall 2/3 -> F1 2/3
        assertThat(BinaryMetrics.f1(P, Y)).isCloseTo(2.0 / 3, within(1e-12));
        // the negative class would give precision 3/4, recall 3/4: not what is reported
        assertThat(BinaryMetrics.f1(P, Y)).isNotCloseTo(0.75, within(1e-3));
    }

    @Test
    void accuracyCountsPExactlyAtOneHalfAsNegative() {
        assertThat(BinaryMetrics.accuracy(P, Y)).isCloseTo(5.0 / 7, within(1e-12));
    }

    @Test
    void f1IsZeroWithoutTruePositives() {
        assertThat(BinaryMetrics.f1(new float[] {0.1f, 0.9f}, new float[] {1, 0})).isZero();
    }
}
