package org.jbia.train.backend.dl4j;

import org.jbia.train.model.BinaryLoss;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * {@link BinaryLoss} as a DL4J loss on the one sigmoid output unit.
 *
 * <p>The batch loss is Σ wᵢ·lᵢ / Σ wᵢ. jBIA's graphs switch off DL4J's division of the gradients by the
 * batch size ({@code miniBatch(false)}) and this loss, "averaged", divides its gradient by Σ wᵢ itself;
 * models saved before that ("averaged" false) leave the division to DL4J, so this loss scales by N / Σ wᵢ. It also keeps the probabilities of the
 * last training forward pass: DL4J exposes no output of a fit step, and recomputing them would cost
 * a second forward pass per batch.
 */
public final class Dl4jLoss implements ILossFunction {

    @JsonProperty("loss")
    private String loss;
    @JsonProperty("weight")
    private double weight;
    /** Whether the gradient and score are batch means here, DL4J's division by the batch size being off. */
    @JsonProperty("averaged")
    private boolean averaged;

    @JsonIgnore
    private transient BinaryLoss math;
    @JsonIgnore
    private transient float[] lastProbabilities;

    private Dl4jLoss() {
    }

    /** {@code averaged}: the graph's miniBatch is off, and this loss averages over the batch itself. */
    public Dl4jLoss(BinaryLoss loss, boolean averaged) {
        this.loss = loss.name();
        this.weight = loss.positiveWeight();
        this.averaged = averaged;
        this.math = loss;
    }

    private BinaryLoss math() {
        if (math == null) {
            math = BinaryLoss.of(loss, weight);
        }
        return math;
    }

    /** The probabilities seen by the last score computation (the last fit step's forward pass). */
    float[] takeLastProbabilities() {
        float[] p = lastProbabilities;
        lastProbabilities = null;
        return p;
    }

    private static void requireSigmoid(IActivation activation) {
        if (!(activation instanceof ActivationSigmoid)) {
            throw new IllegalStateException("jBIA's losses expect a sigmoid output, got " + activation);
        }
    }

    private float[] probabilities(INDArray preOutput, IActivation activation) {
        requireSigmoid(activation);
        float[] z = preOutput.dup().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).data().asFloat();
        float[] p = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = (float) (1 / (1 + Math.exp(-z[i])));
        }
        return p;
    }

    private double[] weightsOf(float[] y) {
        double[] w = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            w[i] = math().sampleWeight(y[i]);
        }
        return w;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        float[] p = probabilities(preOutput, activationFn);
        float[] y = labels.dup().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).data().asFloat();
        double[] w = weightsOf(y);
        double[] scores = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            scores[i] = w[i] * math().value(p[i], y[i]);
        }
        return Nd4j.createFromArray(scores).castTo(preOutput.dataType()).reshape(p.length, 1);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        float[] p = probabilities(preOutput, activationFn);
        float[] y = labels.dup().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).data().asFloat();
        lastProbabilities = p;
        // without "averaged", a sum scaled so that DL4J's division by N gives the weighted mean
        double mean = math().mean(p, y);
        return average || averaged ? mean : mean * p.length;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        float[] p = probabilities(preOutput, activationFn);
        float[] y = labels.dup().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).data().asFloat();
        double[] w = weightsOf(y);
        double total = 0;
        for (double v : w) {
            total += v;
        }
        double scale = (averaged ? 1 : p.length) / total;
        float[] g = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            g[i] = (float) (scale * w[i] * math().gradientWrtLogit(p[i], y[i]));
        }
        return Nd4j.createFromArray(g).castTo(preOutput.dataType()).reshape(preOutput.shape());
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return loss;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dl4jLoss l && l.loss.equals(loss) && l.weight == weight;
    }

    @Override
    public int hashCode() {
        return loss.hashCode() * 31 + Double.hashCode(weight);
    }

    @Override
    public String toString() {
        return "Dl4jLoss(" + loss + ", weight=" + weight + ")";
    }
}
