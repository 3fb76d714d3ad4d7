package org.jbia.train.backend.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.jbia.train.backend.dl4j.GraphChecks.assertClose;
import static org.jbia.train.backend.dl4j.GraphChecks.batch;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.jbia.train.model.BinaryLoss;
import org.jbia.train.model.OptimizerSpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused end of a residual block, max(0, a + b), against DL4J's addition vertex and ReLU layer, in a
 * network with an identity and a projection block: outputs, score, every gradient and training steps.
 */
class KerasAddReluVertexTest {
    private static final Dl4jBackend BACKEND = Dl4jBackend.instance();
    private static final OptimizerSpec SGD = new OptimizerSpec("sgd", 0.05, 0.9, false, 0, 0.9, 0.999, false, 0.9,
            OptimizerSpec.KERAS_EPSILON);

    private static ComputationGraph graph(boolean fuse) {
        ComputationGraphConfiguration conf = Dl4jGraphs.configure(ChannelBlocksTest.residual(), SGD,
                BinaryLoss.of("binary_crossentropy", null), 3, fuse);
        long fused = conf.getVertices().values().stream().filter(v -> v instanceof KerasAddRelu).count();
        assertThat(fused).as("fused residual ends").isEqualTo(fuse ? 2 : 0);
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }


    @Test
    void fusedResidualEndComputesWhatDl4jsAdditionAndReluDo() {
        Nd4j.getRandom().setSeed(11);
        ComputationGraph unfused = graph(false);
        unfused.setParams(Nd4j.rand(DataType.FLOAT, unfused.params().shape()).subi(0.5).muli(0.4));
        // the same parameters by name: the two graphs order their vertices, and so their flat parameters, apart
        ComputationGraph fused = graph(true);
        unfused.paramTable().forEach((name, value) -> fused.setParam(name, value.dup()));
        INDArray[] b = batch(8);
        INDArray x = b[0];
        INDArray y = b[1];

        assertClose("inference output", fused.outputSingle(false, x), unfused.outputSingle(false, x));
        for (ComputationGraph g : new ComputationGraph[] {fused, unfused}) {
            g.setInputs(x);
            g.setLabels(y);
            g.computeGradientAndScore();
        }
        assertThat(fused.score()).isCloseTo(unfused.score(), within(1e-5));
        Map<String, INDArray> expected = unfused.gradient().gradientForVariable();
        Map<String, INDArray> actual = fused.gradient().gradientForVariable();
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (String name : expected.keySet()) {
            assertClose("gradient " + name, actual.get(name), expected.get(name));
        }

        INDArray before = unfused.params().dup();
        for (int step = 0; step < 3; step++) {
            fused.fit(new INDArray[] {x}, new INDArray[] {y});
            unfused.fit(new INDArray[] {x}, new INDArray[] {y});
        }
        double moved = unfused.params().sub(before).amaxNumber().doubleValue();
        assertThat(moved).as("the steps move the parameters").isGreaterThan(1e-2);
        unfused.paramTable().forEach((name, value) -> assertThat(fused.getParam(name).sub(value).amaxNumber()
                .doubleValue()).as("parameter %s after 3 steps", name).isLessThan(1e-3 * moved));
    }
}
