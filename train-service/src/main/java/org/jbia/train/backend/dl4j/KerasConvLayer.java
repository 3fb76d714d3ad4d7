package org.jbia.train.backend.dl4j;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's convolution; when its configuration says the input gradient is not needed, the backward pass
 * computes only the weight and bias gradients: im2col of the input, then one batched matmul with the
 * output gradient (oneDNN), instead of DL4J's oneDNN backward-data plus backward-weights. The
 * returned input gradient is then zeros: only for a layer that reads the network's input.
 */
final class KerasConvLayer extends ConvolutionLayer {

    KerasConvLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean weightsOnly() {
        var c = layerConf();
        return c instanceof KerasConv k && !k.isInputGradient() && c.getWeightNoise() == null
                && c.getCnn2dDataFormat() == CNN2DFormat.NCHW && c.getConvolutionMode() == ConvolutionMode.Same
                && c.getDilation()[0] == 1 && c.getDilation()[1] == 1 && input != null
                && input.dataType() == DataType.FLOAT && maskArray == null;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!weightsOnly()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        var c = layerConf();
        INDArray z = preOutput(true, true, workspaceMgr).getFirst();
        INDArray delta = c.getActivationFn().backprop(z, epsilon).getFirst();
        preOutput = null;
        long n = input.size(0);
        long channels = input.size(1);
        int kh = c.getKernelSize()[0];
        int kw = c.getKernelSize()[1];
        long oc = delta.size(1);
        long oh = delta.size(2);
        long ow = delta.size(3);
        int sh = c.getStride()[0];
        int sw = c.getStride()[1];
        // columns [N, C·kH·kW, oH·oW]; 'same' padding as TensorFlow, half before and the odd pixel after:
        // in 'same' mode im2col sizes its output as ceil(in / stride) but takes the leading pad as given
        INDArray columns = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                new long[] {n, channels, kh, kw, oh, ow}, 'c');
        Nd4j.exec(DynamicCustomOp.builder("im2col").addInputs(input).addOutputs(columns)
                .addIntegerArguments(kh, kw, sh, sw, padBefore(input.size(2), oh, kh, sh),
                        padBefore(input.size(3), ow, kw, sw), 1, 1, 1)
                .addFloatingPointArguments(0.0).build());
        INDArray d = delta.reshape('c', n, oc, oh * ow);
        INDArray perImage = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                new long[] {n, oc, channels * kh * kw}, 'c');
        Nd4j.exec(DynamicCustomOp.builder("matmul")
                .addInputs(d, columns.reshape('c', n, channels * kh * kw, oh * ow)).addOutputs(perImage)
                .addIntegerArguments(0, 1, 0).build());

        Gradient gradient = new DefaultGradient();
        INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        perImage.sum(weightGrad.reshape('c', oc, channels * kh * kw), 0);
        if (hasBias()) {
            INDArray biasGrad = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
            delta.sum(biasGrad.reshape(oc), 0, 2, 3);
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
        weightNoiseParams.clear();
        // the network's input takes no gradient; zeros keep any graph's epsilon sums well defined
        INDArray none = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        return new Pair<>(gradient, none);
    }

    private static int padBefore(long in, long out, int kernel, int stride) {
        return (int) (Math.max((out - 1) * stride + kernel - in, 0) / 2);
    }
}
