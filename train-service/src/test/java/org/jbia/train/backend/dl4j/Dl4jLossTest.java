package org.jbia.train.backend.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.jbia.train.model.BinaryLoss;
import org.jbia.train.model.Layer;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.OptimizerSpec;
import org.jbia.train.model.Shape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DL4J face of jBIA's losses: the weighted batch mean Σ wᵢ·lᵢ / Σ wᵢ whether the loss averages itself
 * (jBIA's graphs, DL4J's division by the batch size off) or leaves the division to DL4J (models saved before).
 */
class Dl4jLossTest {
    private static final BinaryLoss WEIGHTED = BinaryLoss.of("weighted_binary_crossentropy", 3.0);

    private static final INDArray LOGITS = Nd4j.createFromArray(new float[][] {{0.3f}, {-1.2f}, {2.0f}, {0.1f}});
    private static final INDArray LABELS = Nd4j.createFromArray(new float[][] {{1}, {0}, {1}, {0}});

    /** Σ wᵢ·lᵢ / Σ wᵢ and its derivative by hand, positives weighted 3. */
    private static double[] byHand() {
        double[] z = {0.3, -1.2, 2.0, 0.1};
        double[] y = {1, 0, 1, 0};
        double sum = 0;
        double weights = 0;
        for (int i = 0; i < z.length; i++) {
            double p = 1 / (1 + Math.exp(-z[i]));
            double w = y[i] == 1 ? 3 : 1;
            sum += w * -(y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p));
            weights += w;
        }
        return new double[] {sum / weights, weights};
    }

    @Test
    void averagedLossIsTheWeightedBatchMeanWithoutDl4jsDivision() {
        Dl4jLoss loss = new Dl4jLoss(WEIGHTED, true);
        double[] expected = byHand();
        // DL4J asks for the summed score (average false) and, with miniBatch off, divides by nothing
        assertThat(loss.computeScore(LABELS, LOGITS.dup(), new ActivationSigmoid(), null, false))
                .isCloseTo(expected[0], within(1e-6));
        INDArray g = loss.computeGradient(LABELS, LOGITS.dup(), new ActivationSigmoid(), null);
        double p0 = 1 / (1 + Math.exp(-0.3));
        assertThat(g.getDouble(0, 0)).as("d loss / d z of the first positive").isCloseTo(3 * (p0 - 1) / expected[1],
                within(1e-6));
    }

    @Test
    void lossOfModelsSavedBeforeLeavesTheDivisionToDl4j() {
        Dl4jLoss averaged = new Dl4jLoss(WEIGHTED, true);
        Dl4jLoss summed = new Dl4jLoss(WEIGHTED, false);
        double mean = averaged.computeScore(LABELS, LOGITS.dup(), new ActivationSigmoid(), null, false);
        assertThat(summed.computeScore(LABELS, LOGITS.dup(), new ActivationSigmoid(), null, false))
                .isCloseTo(4 * mean, within(1e-5));
        INDArray g = averaged.computeGradient(LABELS, LOGITS.dup(), new ActivationSigmoid(), null);
        INDArray g4 = summed.computeGradient(LABELS, LOGITS.dup(), new ActivationSigmoid(), null);
        assertThat(g4.sub(g.mul(4)).amaxNumber().doubleValue()).isLessThan(1e-6);
    }

    @Test
    void graphGradientIsTheDerivativeOfTheBatchMeanLoss() {
        NetworkSpec net = new NetworkSpec("t", Shape.image(4, 4, 1), List.of(new Layer.Flatten(),
                new Layer.Dense(3, "tanh", "glorot_uniform", 0), new Layer.Output("glorot_uniform")));
        OptimizerSpec sgd = OptimizerSpec.of(org.jbia.common.schema.TrainSpec.defaults());
        ComputationGraph g = new ComputationGraph(Dl4jGraphs.configure(net, sgd, WEIGHTED, 7));
        g.init();
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 6, 1, 4, 4);
        INDArray y = Nd4j.createFromArray(new float[][] {{1}, {0}, {0}, {1}, {0}, {0}});
        g.setInputs(x);
        g.setLabels(y);
        g.computeGradientAndScore();
        INDArray gradient = g.gradient().gradient().dup();
        // the score is the weighted batch mean of the network's own outputs: no factor of N either way
        INDArray p = g.outputSingle(false, x);
        double sum = 0;
        double weights = 0;
        for (int i = 0; i < 6; i++) {
            double w = y.getDouble(i, 0) == 1 ? 3 : 1;
            double pi = p.getDouble(i, 0);
            sum += w * -(y.getDouble(i, 0) == 1 ? Math.log(pi) : Math.log(1 - pi));
            weights += w;
        }
        assertThat(g.score()).isCloseTo(sum / weights, within(1e-5));
        INDArray params = g.params();
        double eps = 1e-2;
        for (long i : new long[] {0, 7, params.length() - 1}) {
            double at = params.getDouble(i);
            params.putScalar(i, at + eps);
            g.computeGradientAndScore();
            double up = g.score();
            params.putScalar(i, at - eps);
            g.computeGradientAndScore();
            double down = g.score();
            params.putScalar(i, at);
            assertThat(gradient.getDouble(i)).as("d mean loss / d parameter %d", i)
                    .isCloseTo((up - down) / (2 * eps), within(2e-3));
        }
    }
}
