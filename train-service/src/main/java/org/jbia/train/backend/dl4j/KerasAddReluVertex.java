package org.jbia.train.backend.dl4j;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * y = max(0, a + b) for two arrays of one shape, in either layout ({@link ChannelBlocks}): the sum written
 * once and rectified in place, the gradient from the output's sign, which the forward pass keeps. DL4J's
 * addition vertex and ReLU layer copy their inputs for safe keeping and their gradients for each input,
 * ten passes over a residual block's output a step where this makes five.
 */
final class KerasAddReluVertex extends ElementWiseVertex {
    /** The output of the last training forward pass, and the inputs it came from. */
    private INDArray output;
    private INDArray[] outputOf;

    KerasAddReluVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super(graph, name, vertexIndex, Op.Add, dataType);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException("cannot do the forward pass of " + vertexName + ": inputs not set");
        }
        requireTwoOfOneShape();
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, inputs[0].shape(), 'c');
        Nd4j.exec(new AddOp(inputs[0], inputs[1], y));
        Nd4j.exec(new RectifiedLinear(y, y, 0.0));
        output = training ? y : null;
        outputOf = training ? inputs.clone() : null;
        return y;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("cannot do the backward pass of " + vertexName
                    + ": inputs or epsilon not set");
        }
        requireTwoOfOneShape();
        INDArray y = output;
        if (y == null || outputOf == null || outputOf[0] != inputs[0] || outputOf[1] != inputs[1]) {
            y = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, inputs[0].shape(), 'c');
            Nd4j.exec(new AddOp(inputs[0], inputs[1], y));
        }
        INDArray delta = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, epsilon.shape(), 'c');
        // y > 0 exactly where a + b > 0: the ReLU's mask, as two vectorised passes (libnd4j's thresholded-ReLU
        // gradient calls a function object per element: 3% of a ResNet-18 step's CPU samples, perf)
        Nd4j.exec(new Step(y, delta, 0.0));
        delta.muli(epsilon);
        output = null;
        outputOf = null;
        // one array per input: DL4J adds other gradients into an input's array in place
        return new Pair<>(null, new INDArray[] {delta, workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, delta)});
    }

    private void requireTwoOfOneShape() {
        if (inputs.length != 2 || !inputs[0].equalShapes(inputs[1])) {
            throw new IllegalStateException(vertexName + " adds two arrays of one shape, got "
                    + java.util.Arrays.stream(inputs).map(a -> java.util.Arrays.toString(a.shape())).toList());
        }
    }

    @Override
    public void clear() {
        super.clear();
        output = null;
        outputOf = null;
    }

    @Override
    public String toString() {
        return "KerasAddReluVertex(id=" + getVertexIndex() + ",name=\"" + getVertexName() + "\")";
    }
}
