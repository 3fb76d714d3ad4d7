package org.jbia.train.backend.dl4j;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's local response normalisation configuration (TensorFlow's formula: alpha is not divided by the
 * window), computed by {@link KerasLrnLayer}.
 */
public class KerasLrn extends LocalResponseNormalization {

    /** For DL4J's JSON deserialisation. */
    public KerasLrn() {
    }

    /** {@code y = x / (bias + alpha·Σ x²)^beta} over the {@code 2·depthRadius + 1} nearest channels. */
    static KerasLrn of(int depthRadius, double bias, double alpha, double beta) {
        return Dl4jLayers.copy(new LocalResponseNormalization.Builder().k(bias).n(2 * depthRadius + 1)
                .alpha(alpha).beta(beta).build(), new KerasLrn());
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int index,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        return Dl4jLayers.wire(new KerasLrnLayer(conf, dataType), this, conf, listeners, index, paramsView,
                initializeParams);
    }
}
