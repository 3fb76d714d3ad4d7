package org.jbia.train.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RocTest {

    @Test
    void aurocCountsOrderedPairsWithTiesAsHalf() {
        float[] pos = {0.9f, 0.6f, 0.3f};
        float[] neg = {0.8f, 0.3f, 0.1f, 0.05f};
        // pairs (p > n): 0.9 beats 4; 0.6 beats 3; 0.3 beats 2 and ties 1 -> 4 + 3 + 2.5 = 9.5 of 12
        assertThat(Roc.auroc(pos, neg)).isCloseTo(9.5 / 12, within(1e-12));
    }

    @Test
    void tprAtAFixedNumberOfFalsePositives() {
        float[] pos = {0.95f, 0.9f, 0.85f, 0.5f};
        float[] neg = new float[12];
        for (int i = 0; i < 12; i++) {
            neg[i] = 0.88f - i * 0.05f; // 0.88, 0.83, ..., 0.33
        }
        // no false positive: threshold above 0.88 -> 2 of 4
        assertThat(Roc.tprAtFalsePositives(pos, neg, 0)).isEqualTo(0.5);
        // 10 false positives allowed: the 11th highest negative is 0.38; 0.5 is above it -> 4 of 4
        assertThat(Roc.tprAtFalsePositives(pos, neg, 10)).isEqualTo(1.0);
        // 1 allowed: the 2nd highest is 0.83 -> 0.95, 0.9, 0.85 -> 3 of 4
        assertThat(Roc.tprAtFalsePositives(pos, neg, 1)).isEqualTo(0.75);
    }

    @Test
    void confusionMatrixAndCurveAtTheThreshold() {
        Evaluation e = Roc.evaluate(new float[] {0.9f, 0.6f, 0.3f}, new float[] {0.8f, 0.3f, 0.1f, 0.05f}, 0.5);
        assertThat(new int[] {e.truePositives(), e.falsePositives(), e.trueNegatives(), e.falseNegatives()})
                .containsExactly(2, 1, 3, 1);
        assertThat(e.precision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(e.recall()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(e.accuracy()).isCloseTo(5.0 / 7, within(1e-12));
        // scores descending: 0.9(P) 0.8(N) 0.6(P) 0.3(P,N tie) 0.1(N) 0.05(N)
        assertThat(e.rocTpr()).containsExactly(0, 1 / 3.0, 1 / 3.0, 2 / 3.0, 1, 1, 1);
        assertThat(e.rocFpr()).containsExactly(0, 0, 0.25, 0.25, 0.5, 0.75, 1);
        assertThat(e.tpr0()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(e.tpr10()).isEqualTo(1.0);
        // trapezoids under the curve give the same area as the pair count
        double area = 0;
        for (int i = 1; i < e.rocFpr().length; i++) {
            area += (e.rocFpr()[i] - e.rocFpr()[i - 1]) * (e.rocTpr()[i] + e.rocTpr()[i - 1]) / 2;
        }
        assertThat(area).isCloseTo(e.auroc(), within(1e-12));
    }

    @Test
    void needsBothClasses() {
        assertThatThrownBy(() -> Roc.evaluate(new float[] {0.5f}, new float[0], 0.5))
                .hasMessageContaining("needs both classes");
    }
}
