package org.jbia.train.backend.dl4j;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.annotation.JsonSetter;

/**
 * DL4J's convolution configuration, plus whether the gradient with respect to the layer's input is
 * needed: it is not for a convolution that reads the network's input, and DL4J always computes it (for
 * pyBIA's 11×11/4 and ResNet's 7×7/2 first layers that costs five to seven times the weight
 * gradient). Computed by {@link KerasConvLayer}.
 */
public class KerasConv extends ConvolutionLayer {
    @JsonProperty("inputGradient")
    private boolean inputGradient = true;
    /** Whether the input and its gradient are in {@link ChannelBlocks}' layout (see {@link ChannelBlocks#plan}). */
    @JsonProperty("blockedInput")
    private boolean blockedInput;
    /** Whether the output and its gradient are in {@link ChannelBlocks}' layout. */
    @JsonProperty("blockedOutput")
    private boolean blockedOutput;
    /**
     * The block size of the tiles the kernels, and their gradient, are stored in ({@link
     * ChannelBlocks.Layout#kernels}) in the parameters, from initialisation on and so in a saved model; 0 for
     * plain O×I×kH×kW.
     */
    @JsonProperty("kernelBlock")
    private int kernelBlock;

    /** For DL4J's JSON deserialisation. */
    public KerasConv() {
    }

    static KerasConv of(ConvolutionLayer configured, boolean inputGradient) {
        KerasConv c = Dl4jLayers.copy(configured, new KerasConv());
        c.inputGradient = inputGradient;
        return c;
    }

    public boolean isInputGradient() {
        return inputGradient;
    }

    public void setInputGradient(boolean inputGradient) {
        this.inputGradient = inputGradient;
    }

    public boolean isBlockedInput() {
        return blockedInput;
    }

    public void setBlockedInput(boolean blockedInput) {
        this.blockedInput = blockedInput;
    }

    public boolean isBlockedOutput() {
        return blockedOutput;
    }

    public void setBlockedOutput(boolean blockedOutput) {
        this.blockedOutput = blockedOutput;
    }

    public boolean hasBlockedKernels() {
        return kernelBlock > 0;
    }

    public int getKernelBlock() {
        return kernelBlock;
    }

    /** 16 or 8 (see {@link ChannelBlocks.Layout}), or 0 for plain kernels. */
    public void setKernelBlock(int kernelBlock) {
        if (kernelBlock != 0) {
            ChannelBlocks.Layout.ofBlock(kernelBlock);
        }
        this.kernelBlock = kernelBlock;
    }

    /** Models saved before 8-channel blocks said only whether their kernels were blocked: in 16-channel tiles. */
    @JsonSetter("blockedKernels")
    private void setBlockedKernelsOfOlderModels(boolean blocked) {
        kernelBlock = blocked ? ChannelBlocks.Layout.SIXTEEN.block : 0;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int index,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        KerasConvLayer layer = Dl4jLayers.wire(new KerasConvLayer(conf, dataType), this, conf, listeners, index,
                paramsView, initializeParams);
        if (initializeParams && kernelBlock > 0) {
            // the initialisers draw plain kernels
            INDArray kernels = layer.getParam(ConvolutionParamInitializer.WEIGHT_KEY);
            ChannelBlocks.kernelsToBlocked(kernels, kernels, kernelBlock);
        }
        return layer;
    }
}
