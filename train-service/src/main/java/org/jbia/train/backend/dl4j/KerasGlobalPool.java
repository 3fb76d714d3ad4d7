package org.jbia.train.backend.dl4j;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * DL4J's global pooling configuration; {@link KerasGlobalPoolLayer} also takes a channel-blocked input where
 * the graph's plan says so ({@link ChannelBlocks}). Its output is always plain.
 */
public class KerasGlobalPool extends GlobalPoolingLayer {
    /** Whether the input and its gradient are in {@link ChannelBlocks}' layout. */
    @JsonProperty("blockedInput")
    private boolean blockedInput;

    /** For DL4J's JSON deserialisation. */
    public KerasGlobalPool() {
    }

    static KerasGlobalPool of(GlobalPoolingLayer configured) {
        return Dl4jLayers.copy(configured, new KerasGlobalPool());
    }

    public boolean isBlockedInput() {
        return blockedInput;
    }

    public void setBlockedInput(boolean blockedInput) {
        this.blockedInput = blockedInput;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int index,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        return Dl4jLayers.wire(new KerasGlobalPoolLayer(conf, dataType), this, conf, listeners, index, paramsView,
                initializeParams);
    }
}
