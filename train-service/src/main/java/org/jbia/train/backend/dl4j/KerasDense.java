package org.jbia.train.backend.dl4j;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** DL4J's dense layer configuration and parameters, computed by {@link KerasDenseLayer}. */
public class KerasDense extends DenseLayer {

    /** For DL4J's JSON deserialisation. */
    public KerasDense() {
    }

    /** The layer DL4J's builder describes, computed by jBIA's implementation. */
    static KerasDense of(DenseLayer configured) {
        return Dl4jLayers.copy(configured, new KerasDense());
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int index,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        return Dl4jLayers.wire(new KerasDenseLayer(conf, dataType), this, conf, listeners, index, paramsView,
                initializeParams);
    }
}
