package org.jbia.train.backend.dl4j;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;

/**
 * max(0, x), as DL4J's ReLU, with its gradient as two vectorised passes over the array it is given
 * (the step x &gt; 0, then the product with the incoming gradient). DL4J's own gradient op calls a
 * function object per element into a fresh array, several times the cost of a vectorised pass (7.5
 * million activations a step of 32 images in ResNet-18). Measured in one JVM, alternating epochs with
 * DL4J's ReLU: AlexNet training +6%, ResNet-18 +2%.
 */
public class KerasRelu extends BaseActivationFunction {

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        Nd4j.exec(new RectifiedLinear(in, in, 0.0));
        return in;
    }

    /** {@code in} is overwritten with the gradient, as DL4J's activations do. */
    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        Nd4j.exec(new Step(in, in, 0.0));
        in.muli(epsilon);
        return new Pair<>(in, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasRelu;
    }

    @Override
    public int hashCode() {
        return KerasRelu.class.hashCode();
    }

    @Override
    public String toString() {
        return "relu";
    }
}
