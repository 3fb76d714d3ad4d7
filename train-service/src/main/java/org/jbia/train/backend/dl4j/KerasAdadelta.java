package org.jbia.train.backend.dl4j;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Keras' Adadelta, which (unlike DL4J's AdaDelta) has a learning rate:
 * E[g²] ← ρE[g²] + (1−ρ)g²; Δ = √(E[Δ²]+ε)/√(E[g²]+ε)·g; E[Δ²] ← ρE[Δ²] + (1−ρ)Δ²; w ← w − lr·Δ.
 */
public final class KerasAdadelta implements IUpdater {
    @JsonProperty("learningRate")
    private double learningRate;
    @JsonProperty("learningRateSchedule")
    private ISchedule learningRateSchedule;
    @JsonProperty("rho")
    private double rho;
    @JsonProperty("epsilon")
    private double epsilon;

    private KerasAdadelta() {
    }

    public KerasAdadelta(double learningRate, ISchedule schedule, double rho, double epsilon) {
        this.learningRate = learningRate;
        this.learningRateSchedule = schedule;
        this.rho = rho;
        this.epsilon = epsilon;
    }

    @Override
    public long stateSize(long numParams) {
        return 2 * numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater u = new Updater(this);
        u.setStateViewArray(viewArray, new long[] {1, viewArray.length() / 2}, 'c', initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> state, boolean initialize) {
        Updater u = new Updater(this);
        u.setState(state, initialize);
        return u;
    }

    @Override
    public KerasAdadelta clone() {
        return new KerasAdadelta(learningRate, learningRateSchedule == null ? null : learningRateSchedule.clone(),
                rho, epsilon);
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
        return o instanceof KerasAdadelta a && a.learningRate == learningRate && a.rho == rho && a.epsilon == epsilon
                && java.util.Objects.equals(a.learningRateSchedule, learningRateSchedule);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(learningRate, rho, epsilon);
    }

    static final class Updater implements GradientUpdater<KerasAdadelta> {
        private final KerasAdadelta config;
        private INDArray accumGrad;
        private INDArray accumDelta;

        Updater(KerasAdadelta config) {
            this.config = config;
        }

        @Override
        public KerasAdadelta getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> state, boolean initialize) {
            accumGrad = state.get("msg");
            accumDelta = state.get("msdx");
            if (initialize) {
                accumGrad.assign(0);
                accumDelta.assign(0);
            }
        }

        @Override
        public Map<String, INDArray> getState() {
            return Map.of("msg", accumGrad, "msdx", accumDelta);
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char order, boolean initialize) {
            if (initialize) {
                viewArray.assign(0);
            }
            long n = viewArray.length() / 2;
            INDArray flat = viewArray.reshape(viewArray.length());
            accumGrad = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n));
            accumDelta = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n, 2 * n));
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            double rho = config.rho;
            double eps = config.epsilon;
            INDArray g = gradient.reshape(gradient.length());
            accumGrad.muli(rho).addi(g.mul(g).muli(1 - rho));
            INDArray delta = Transforms.sqrt(accumDelta.add(eps), false)
                    .divi(Transforms.sqrt(accumGrad.add(eps), false)).muli(g);
            accumDelta.muli(rho).addi(delta.mul(delta).muli(1 - rho));
            gradient.assign(delta.muli(config.getLearningRate(iteration, epoch)).reshape(gradient.shape()));
        }
    }
}
