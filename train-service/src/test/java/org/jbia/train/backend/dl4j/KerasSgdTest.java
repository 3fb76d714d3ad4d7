package org.jbia.train.backend.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;

/** Keras' SGD step on views into one flat state array, as DL4J's updater blocks hand them over. */
class KerasSgdTest {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void stepsFollowKerasMomentumFormulas(boolean nesterov) {
        Dl4jBackend.instance();
        double lr = 0.1;
        double m = 0.9;
        int n = 5;
        // the block's state and gradient sit inside larger flat arrays, as in a network
        INDArray stateArray = Nd4j.zeros(DataType.FLOAT, 1, n + 3);
        INDArray state = stateArray.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, 3 + n)).reshape(1, n);
        GradientUpdater<?> u = new KerasSgd(lr, null, m, nesterov).instantiate(state, true);
        double[] v = new double[n];
        java.util.Random r = new java.util.Random(2);
        for (int step = 0; step < 3; step++) {
            double[] g = new double[n];
            INDArray flat = Nd4j.zeros(DataType.FLOAT, 1, n + 2);
            INDArray gradient = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(2, 2 + n)).reshape(1, n);
            for (int i = 0; i < n; i++) {
                g[i] = r.nextGaussian();
                gradient.putScalar(0, i, g[i]);
            }
            u.applyUpdater(gradient, step, 0);
            for (int i = 0; i < n; i++) {
                v[i] = m * v[i] - lr * g[i];
                double expected = nesterov ? lr * g[i] - m * v[i] : -v[i];
                assertThat(gradient.getDouble(0, i)).as("step %d, element %d", step, i).isCloseTo(expected, within(1e-6));
                // the state is Keras' velocity over the learning rate, negated
                assertThat(-lr * state.getDouble(0, i)).as("velocity %d, element %d", step, i)
                        .isCloseTo(v[i], within(1e-6));
            }
            assertThat(flat.getDouble(0, 0)).isZero();
            assertThat(flat.getDouble(0, 1)).isZero();
        }
        assertThat(stateArray.getDouble(0, 0)).isZero();
    }

    /** Keras' decay: lr_t = lr / (1 + decay·t), a new rate every step, the velocity carried across. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void stepsFollowKerasFormulasUnderADecayingLearningRate(boolean nesterov) {
        Dl4jBackend.instance();
        double lr = 0.1;
        double decay = 0.5;
        double m = 0.9;
        int n = 4;
        INDArray state = Nd4j.zeros(DataType.FLOAT, 1, n);
        var schedule = new org.nd4j.linalg.schedule.InverseSchedule(
                org.nd4j.linalg.schedule.ScheduleType.ITERATION, lr, decay, 1);
        GradientUpdater<?> u = new KerasSgd(lr, schedule, m, nesterov).instantiate(state, true);
        double[] v = new double[n];
        java.util.Random r = new java.util.Random(4);
        for (int step = 0; step < 4; step++) {
            double rate = lr / (1 + decay * step);
            double[] g = new double[n];
            INDArray gradient = Nd4j.zeros(DataType.FLOAT, 1, n);
            for (int i = 0; i < n; i++) {
                g[i] = r.nextGaussian();
                gradient.putScalar(0, i, g[i]);
            }
            u.applyUpdater(gradient, step, 0);
            for (int i = 0; i < n; i++) {
                v[i] = m * v[i] - rate * g[i];
                double expected = nesterov ? rate * g[i] - m * v[i] : -v[i];
                assertThat(gradient.getDouble(0, i)).as("step %d, element %d", step, i)
                        .isCloseTo(expected, within(1e-6));
            }
        }
    }

    @Test
    void withoutMomentumTheStepIsTheScaledGradient() {
        Dl4jBackend.instance();
        GradientUpdater<?> u = new KerasSgd(0.5, null, 0, false).instantiate((INDArray) null, false);
        INDArray g = Nd4j.createFromArray(new float[] {2, -4});
        u.applyUpdater(g, 0, 0);
        assertThat(g.toFloatVector()).containsExactly(1, -2);
    }
}
