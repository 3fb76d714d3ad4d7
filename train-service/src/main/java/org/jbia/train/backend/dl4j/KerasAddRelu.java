package org.jbia.train.backend.dl4j;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A residual block's end, max(0, a + b), as one vertex ({@link KerasAddReluVertex}) instead of DL4J's
 * addition vertex and ReLU activation layer.
 */
public class KerasAddRelu extends ElementWiseVertex {

    /** For DL4J's JSON deserialisation, and the graph builder. */
    public KerasAddRelu() {
        super(Op.Add);
    }

    @Override
    public KerasAddRelu clone() {
        return new KerasAddRelu();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasAddRelu;
    }

    @Override
    public int hashCode() {
        return KerasAddRelu.class.hashCode();
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new KerasAddReluVertex(graph, name, idx, networkDatatype);
    }
}
