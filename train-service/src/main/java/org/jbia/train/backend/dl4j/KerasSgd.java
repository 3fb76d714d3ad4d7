package org.jbia.train.backend.dl4j;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Keras' SGD: v ← m·v − lr·g; w ← w + v, or with Nesterov w ← w + m·v − lr·g. DL4J has no plain
 * (heavy-ball) momentum, and its Nesterovs differs from Keras' form, so pyBIA's default (SGD with
 * momentum 0.9, no Nesterov) needs this.
 */
public final class KerasSgd implements IUpdater {
    @JsonProperty("learningRate")
    private double learningRate;
    @JsonProperty("learningRateSchedule")
    private ISchedule learningRateSchedule;
    @JsonProperty("momentum")
    private double momentum;
    @JsonProperty("nesterov")
    private boolean nesterov;

    private KerasSgd() {
    }

    public KerasSgd(double learningRate, ISchedule schedule, double momentum, boolean nesterov) {
        this.learningRate = learningRate;
        this.learningRateSchedule = schedule;
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    @Override
    public long stateSize(long numParams) {
        return momentum > 0 ? numParams : 0;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater u = new Updater(this);
        if (viewArray != null && momentum > 0) {
            u.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        }
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> state, boolean initialize) {
        Updater u = new Updater(this);
        u.setState(state, initialize);
        return u;
    }

    @Override
    public KerasSgd clone() {
        return new KerasSgd(learningRate, learningRateSchedule == null ? null : learningRateSchedule.clone(),
                momentum, nesterov);
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lr;
        this.learningRateSchedule = lrSchedule;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasSgd s && s.learningRate == learningRate && s.momentum == momentum
                && s.nesterov == nesterov && java.util.Objects.equals(s.learningRateSchedule, learningRateSchedule);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(learningRate, momentum, nesterov);
    }

    static final class Updater implements GradientUpdater<KerasSgd> {
        private final KerasSgd config;
        private INDArray velocity;

        Updater(KerasSgd config) {
            this.config = config;
        }

        @Override
        public KerasSgd getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> state, boolean initialize) {
            velocity = state == null ? null : state.get("V");
            if (velocity != null && initialize) {
                velocity.assign(0);
            }
        }

        @Override
        public Map<String, INDArray> getState() {
            return velocity == null ? Map.of() : Map.of("V", velocity);
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char order, boolean initialize) {
            if (initialize) {
                viewArray.assign(0);
            }
            velocity = viewArray.reshape(order, gradientShape);
        }

        /**
         * Turns the gradient into the step DL4J subtracts from the parameters, in three passes over the
         * parameters rather than five (for AlexNet's 30 M parameters the update was a tenth of a step).
         */
        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            double lr = config.getLearningRate(iteration, epoch);
            if (config.momentum <= 0) {
                gradient.muli(lr);
                return;
            }
            // v ← m·v − lr·g
            velocity.muli(config.momentum);
            axpy(-lr, gradient, velocity);
            if (config.nesterov) {
                // step = lr·g − m·v
                gradient.muli(lr);
                axpy(-config.momentum, velocity, gradient);
            } else {
                // step = −v
                velocity.muli(-1, gradient);
            }
        }
    }

    /**
     * y ← a·x + y, in libnd4j's thread pool. Not OpenBLAS' axpy: after each call its worker thread spins on
     * sched_yield for about a tenth of a second (OpenBLAS' thread timeout), and DL4J calls the updater once
     * per block of parameters, dozens of times a step: 8% of a ResNet-18 step's CPU samples here went to
     * that spinning, taken from oneDNN's threads on a two-core machine.
     */
    static void axpy(double a, INDArray x, INDArray y) {
        Nd4j.exec(new Axpy(x, y, y, a));
    }
}
