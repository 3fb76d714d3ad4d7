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
import org.jbia.train.backend.dl4j.HostFloats.Images;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.convolution.Convolution;

/**
 * DL4J's convolution, with two backward passes of its own, both from im2col of the input and matrix
 * products on oneDNN instead of DL4J's oneDNN backward-data plus backward-weights:
 * <ul>
 *   <li>when its configuration says the input gradient is not needed, only the weight and bias gradients
 *   (one batched product with the output gradient); the returned input gradient is then zeros: only for a
 *   layer that reads the network's input;</li>
 *   <li>onto output maps of at most {@link #GEMM_MAX_SIDE} pixels a side, all of them as two products over
 *   every (image, output pixel) at once, and col2im for the input gradient: there oneDNN 2.3 picks its
 *   Winograd kernels, at 57 ms for ResNet-18's 512→512 3×3 convolution on 3×3 maps (batch 32; its forward
 *   pass takes 12 ms).</li>
 * </ul>
 */
final class KerasConvLayer extends ConvolutionLayer {
    /** The largest output side that takes the matrix-product backward pass with the input gradient. */
    static final int GEMM_MAX_SIDE = 3;

    KerasConvLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Whether this configuration and input can take one of this class's backward passes. */
    private boolean ownBackward() {
        var c = layerConf();
        if (!(c instanceof KerasConv k) || c.getWeightNoise() != null
                || c.getCnn2dDataFormat() != CNN2DFormat.NCHW || c.getConvolutionMode() != ConvolutionMode.Same
                || c.getDilation()[0] != 1 || c.getDilation()[1] != 1 || input == null
                || input.dataType() != DataType.FLOAT || maskArray != null) {
            return false;
        }
        long outHeight = (input.size(2) + c.getStride()[0] - 1) / c.getStride()[0];
        long outWidth = (input.size(3) + c.getStride()[1] - 1) / c.getStride()[1];
        return !k.isInputGradient() || Math.max(outHeight, outWidth) <= GEMM_MAX_SIDE;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!ownBackward()) {
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
        long taps = channels * kh * kw;
        int padTop = padBefore(input.size(2), oh, kh, sh);
        int padLeft = padBefore(input.size(3), ow, kw, sw);
        // columns [N, C·kH·kW, oH·oW] over oH = ceil(H / stride) rows; 'same' padding as TensorFlow, half
        // before and the odd pixel after: the leading pad is given, the trailing one is what the rows reach
        INDArray columns = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                new long[] {n, channels, kh, kw, oh, ow}, 'c');
        new Im2col((int) channels, (int) input.size(2), (int) input.size(3), kh, kw, sh, sw, padTop, padLeft,
                (int) oh, (int) ow).columns(Images.of(HostFloats.dense(input)), Images.of(columns));

        Gradient gradient = new DefaultGradient();
        INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray inputGrad;
        if (((KerasConv) c).isInputGradient()) {
            // small maps: the (image, output pixel) pairs as one dimension of the products, [oc, N·oH·oW] and
            // [C·kH·kW, N·oH·oW]; a product per image would run over as few as 9 pixels
            long pixels = n * oh * ow;
            INDArray d = delta.reshape('c', n, oc, oh * ow).permute(1, 0, 2).dup('c').reshape('c', oc, pixels);
            INDArray cols = columns.reshape('c', n, taps, oh * ow).permute(1, 0, 2).dup('c')
                    .reshape('c', taps, pixels);
            KerasDenseLayer.matmul(d, cols, weightGrad.reshape('c', oc, taps), false, true);
            INDArray kernels = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr)
                    .reshape('c', oc, taps);
            INDArray columnGrad = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                    new long[] {taps, pixels}, 'c');
            KerasDenseLayer.matmul(kernels, d, columnGrad, true, false);
            INDArray perImage = columnGrad.reshape('c', taps, n, oh * ow).permute(1, 0, 2).dup('c')
                    .reshape('c', n, channels, kh, kw, oh, ow);
            inputGrad = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
            Convolution.col2im(perImage, inputGrad, sh, sw, padTop, padLeft, (int) input.size(2),
                    (int) input.size(3), 1, 1);
        } else {
            INDArray perImage = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                    new long[] {n, oc, taps}, 'c');
            KerasDenseLayer.matmul(delta.reshape('c', n, oc, oh * ow), columns.reshape('c', n, taps, oh * ow),
                    perImage, false, true);
            perImage.sum(weightGrad.reshape('c', oc, taps), 0);
            // the network's input takes no gradient; zeros keep any graph's epsilon sums well defined
            inputGrad = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        }
        if (hasBias()) {
            INDArray biasGrad = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
            delta.sum(biasGrad.reshape(oc), 0, 2, 3);
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
        weightNoiseParams.clear();
        return new Pair<>(gradient, inputGrad);
    }

    private static int padBefore(long in, long out, int kernel, int stride) {
        return (int) (Math.max((out - 1) * stride + kernel - in, 0) / 2);
    }
}
