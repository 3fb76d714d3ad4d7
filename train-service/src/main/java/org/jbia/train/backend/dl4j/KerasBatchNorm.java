package org.jbia.train.backend.dl4j;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * DL4J's batch normalisation configuration and parameters, computed by {@link KerasBatchNormLayer}; its
 * activation is identity, or {@link KerasRelu} for a ReLU fused into the layer (ResNet's conv → batch
 * norm → ReLU: one pass over the activations instead of two forward, and no separate gradient pass).
 */
public class KerasBatchNorm extends BatchNormalization {
    /** Whether input, output and their gradients are in {@link ChannelBlocks}' layout (run by oneDNN 2.5). */
    @JsonProperty("blocked")
    private boolean blocked;

    /** For DL4J's JSON deserialisation. */
    public KerasBatchNorm() {
    }

    /** Running averages move by {@code 1 − decay} per batch; {@code epsilon} is added to the variance. */
    static KerasBatchNorm of(double decay, double epsilon, boolean relu) {
        BatchNormalization.Builder b = new BatchNormalization.Builder().decay(decay).eps(epsilon);
        if (relu) {
            b.activation(new KerasRelu());
        }
        return Dl4jLayers.copy(b.build(), new KerasBatchNorm());
    }

    public boolean isBlocked() {
        return blocked;
    }

    public void setBlocked(boolean blocked) {
        this.blocked = blocked;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int index,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        return Dl4jLayers.wire(new KerasBatchNormLayer(conf, dataType), this, conf, listeners, index, paramsView,
                initializeParams);
    }
}
