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
        /** q = −v / lr, Keras' velocity over the learning rate (see {@link #applyUpdater}). */
        private INDArray velocity;
        /** The learning rate of the last step, 0 before the first. */
        private double previousLr;

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
         * Turns the gradient into the step DL4J subtracts from the parameters. The state is not Keras'
         * velocity v (v ← m·v − lr·g, step −v) but q = −v / lr: q ← m·(lr′/lr)·q + g, lr′ the previous
         * step's rate, and the step is lr·q; one pass over the parameters fewer than updating v (two
         * passes, with DL4J's subtraction three, where there were four). The state is not saved with a model.
         */
        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            double lr = config.getLearningRate(iteration, epoch);
            if (config.momentum <= 0) {
                gradient.muli(lr);
                return;
            }
            // q ← m·(lr′/lr)·q + g; q is zero before the first step, so the first lr′ does not matter
            double carried = config.momentum * (previousLr > 0 ? previousLr / lr : 1);
            previousLr = lr;
            scaledSum(velocity, carried, velocity, gradient);
            if (config.nesterov) {
                // step = lr·g − m·v = lr·(g + m·q)
                scaledSum(gradient, config.momentum, velocity, gradient);
                gradient.muli(lr);
            } else {
                // step = −v = lr·q
                velocity.muli(lr, gradient);
            }
        }
    }

    /**
     * z ← a·x + y in one pass, in libnd4j's thread pool. Not OpenBLAS' axpy: after each call its worker
     * thread spins on sched_yield for about a tenth of a second (OpenBLAS' thread timeout), and DL4J calls the
     * updater once per block of parameters, dozens of times a step: 8% of a ResNet-18 step's CPU samples here
     * went to that spinning, taken from oneDNN's threads on a two-core machine.
     */
    static void scaledSum(INDArray z, double a, INDArray x, INDArray y) {
        Nd4j.exec(new Axpy(x, y, z, a));
    }
}
