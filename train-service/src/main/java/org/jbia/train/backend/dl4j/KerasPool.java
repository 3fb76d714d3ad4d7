package org.jbia.train.backend.dl4j;

import java.util.Collection;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * DL4J's pooling configuration; {@link KerasPoolLayer} pools on oneDNN 2.5 where it can ({@link #onOneDnn()}),
 * channel-blocked arrays where the graph's plan says so ({@link ChannelBlocks}), and leaves the rest to DL4J.
 */
public class KerasPool extends SubsamplingLayer {
    /** Whether input, output and their gradients are in {@link ChannelBlocks}' layout. */
    @JsonProperty("blocked")
    private boolean blocked;

    /** For DL4J's JSON deserialisation. */
    public KerasPool() {
    }

    static KerasPool of(SubsamplingLayer configured) {
        return Dl4jLayers.copy(configured, new KerasPool());
    }

    public boolean isBlocked() {
        return blocked;
    }

    public void setBlocked(boolean blocked) {
        this.blocked = blocked;
    }

    /**
     * Whether oneDNN 2.5 can pool for this configuration: NCHW max or average (padding left out of the average)
     * over square windows at a square stride with 'same' padding, no dilation or dropout. (Not a bean getter:
     * DL4J's JSON would save it.)
     */
    boolean onOneDnn() {
        return getCnn2dDataFormat() == CNN2DFormat.NCHW
                && (getPoolingType() == org.deeplearning4j.nn.conf.layers.PoolingType.MAX
                || getPoolingType() == org.deeplearning4j.nn.conf.layers.PoolingType.AVG)
                && getConvolutionMode() == ConvolutionMode.Same && !isAvgPoolIncludePadInDivisor()
                && getKernelSize()[0] == getKernelSize()[1] && getStride()[0] == getStride()[1]
                && getDilation()[0] == 1 && getDilation()[1] == 1 && getIDropout() == null;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int index,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        return Dl4jLayers.wire(new KerasPoolLayer(conf, dataType), this, conf, listeners, index, paramsView,
                initializeParams);
    }
}
