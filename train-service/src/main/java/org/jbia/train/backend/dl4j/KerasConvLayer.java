package org.jbia.train.backend.dl4j;

import java.util.List;
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
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's convolution, run by oneDNN 2.5's direct kernels ({@link DnnlConvolution}) where they are
 * available, forward and backward, reading and writing channel-blocked arrays where the graph's plan says
 * so ({@link ChannelBlocks}); the input gradient is computed only when its configuration says it is
 * needed (not for a layer that reads the network's input: the returned input gradient is then zeros). Without
 * oneDNN 2.5 (no natives for the platform, or only its reference implementation for the geometry), DL4J's
 * forward pass, and two backward passes of its own, both from im2col of the input and matrix products,
 * instead of DL4J's oneDNN 2.3 backward-data plus backward-weights:
 * <ul>
 *   <li>when the input gradient is not needed, only the weight and bias gradients (one batched product with
 *   the output gradient);</li>
 *   <li>onto output maps of at most {@link #GEMM_MAX_SIDE} pixels a side, all of them as two products over
 *   every (image, output pixel) at once, and col2im for the input gradient: there oneDNN 2.3 picks its
 *   Winograd kernels, at 57 ms for ResNet-18's 512→512 3×3 convolution on 3×3 maps (batch 32; its forward
 *   pass takes 12 ms).</li>
 * </ul>
 */
final class KerasConvLayer extends ConvolutionLayer {
    /** The largest output side that takes the matrix-product backward pass with the input gradient. */
    static final int GEMM_MAX_SIDE = 3;
    /** oneDNN 2.5 convolutions by input shape and layouts; a null value: not available. */
    private final ShapePlans<DnnlConvolution> plans = new ShapePlans<>();
    /** Set while a fallback pass runs on plain copies of channel-blocked arrays. */
    private boolean plainPass;
    /** Set while a pass other than oneDNN 2.5's runs on a plain copy of blocked kernels. */
    private boolean plainKernelsPass;
    /** The ReLU output of the last training forward pass, and the input it came from. */
    private INDArray trainingActivation;
    private INDArray trainingInput;

    KerasConvLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Whether this configuration and input are a plain float NCHW 'same' convolution, as jBIA's networks build. */
    private boolean plainConvolution() {
        var c = layerConf();
        return c instanceof KerasConv && c.getWeightNoise() == null && c.getIDropout() == null
                && c.getCnn2dDataFormat() == CNN2DFormat.NCHW && c.getConvolutionMode() == ConvolutionMode.Same
                && c.getDilation()[0] == 1 && c.getDilation()[1] == 1 && input != null && input.rank() == 4
                && input.dataType() == DataType.FLOAT && maskArray == null;
    }

    private boolean inputGradient() {
        return ((KerasConv) layerConf()).isInputGradient();
    }

    /** Whether the input and its gradient are in {@link ChannelBlocks}' layout in this pass. */
    private boolean blockedInput() {
        return !plainPass && ((KerasConv) layerConf()).isBlockedInput() && ChannelBlocks.usable();
    }

    /** Whether the output and its gradient are in {@link ChannelBlocks}' layout in this pass. */
    private boolean blockedOutput() {
        return !plainPass && ((KerasConv) layerConf()).isBlockedOutput() && ChannelBlocks.usable();
    }

    /** Whether the kernels this pass reads, and the gradient it writes, are in {@link ChannelBlocks.Layout#kernels}. */
    private boolean blockedKernels() {
        return !plainKernelsPass && ((KerasConv) layerConf()).hasBlockedKernels();
    }

    /** The oneDNN 2.5 convolution for the current input and layouts, or null. */
    private DnnlConvolution dnnl() {
        if (!plainConvolution() || !DnnlConvolution.enabled()) {
            return null;
        }
        boolean blockedInput = blockedInput();
        boolean blockedOutput = blockedOutput();
        boolean blockedKernels = blockedKernels();
        ChannelBlocks.Layout layout = ChannelBlocks.layout();
        if (blockedKernels && (layout == null || layout.block != ((KerasConv) layerConf()).getKernelBlock())) {
            // tiled for another processor and not re-tiled at load: the paths on plain copies read them
            return null;
        }
        List<Long> key = List.of(input.size(0), input.size(1), input.size(2), input.size(3), blockedInput ? 1L : 0L,
                blockedOutput ? 1L : 0L, blockedKernels ? 1L : 0L);
        var c = layerConf();
        return plans.get(key, () -> DnnlConvolution.forGeometry(DnnlConvolution.Geometry.same(input.size(0),
                input.size(1), input.size(2), input.size(3), c.getNOut(), c.getKernelSize()[0], c.getKernelSize()[1],
                c.getStride()[0], c.getStride()[1], hasBias()), blockedInput, blockedOutput, blockedKernels));
    }

    /**
     * Runs {@code pass}, a path other than oneDNN 2.5's, with blocked kernels replaced by a plain copy and,
     * for a backward pass, their gradient view by a plain array, converted into the view afterwards.
     */
    private <T> T onPlainKernels(boolean backward, java.util.function.Supplier<T> pass) {
        if (!blockedKernels()) {
            return pass.get();
        }
        String key = ConvolutionParamInitializer.WEIGHT_KEY;
        INDArray kernels = params.get(key);
        INDArray kernelGrad = backward ? gradientViews.get(key) : null;
        INDArray plain = Nd4j.createUninitializedDetached(DataType.FLOAT, kernels.shape());
        int block = ((KerasConv) layerConf()).getKernelBlock();
        ChannelBlocks.kernelsToPlain(kernels, plain, block);
        INDArray plainGrad = backward ? Nd4j.createUninitializedDetached(DataType.FLOAT, kernels.shape()) : null;
        params.put(key, plain);
        if (backward) {
            gradientViews.put(key, plainGrad);
        }
        plainKernelsPass = true;
        try {
            T result = pass.get();
            if (backward) {
                ChannelBlocks.kernelsToBlocked(plainGrad, kernelGrad, block);
                if (result instanceof Pair<?, ?> p && p.getFirst() instanceof Gradient g) {
                    g.setGradientFor(key, kernelGrad, 'c');
                }
            }
            return result;
        } finally {
            plainKernelsPass = false;
            params.put(key, kernels);
            if (backward) {
                gradientViews.put(key, kernelGrad);
            }
        }
    }

    /**
     * Runs {@code pass} on a plain copy of a blocked input, as every path but oneDNN 2.5's needs: for a
     * geometry oneDNN 2.5 runs only with its reference kernels.
     */
    private <T> T onPlainArrays(LayerWorkspaceMgr workspaceMgr, ArrayType copies, java.util.function.Supplier<T> pass) {
        boolean copy = blockedInput();
        plainPass = true;
        try {
            return copy ? ChannelBlocks.withPlainInput(input, in -> input = in, workspaceMgr, copies, pass)
                    : pass.get();
        } finally {
            plainPass = false;
        }
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop,
                                                 LayerWorkspaceMgr workspaceMgr) {
        DnnlConvolution conv = dnnl();
        if (conv == null) {
            if (!blockedInput() && !blockedOutput()) {
                return onPlainKernels(false, () -> super.preOutput(training, forBackprop, workspaceMgr));
            }
            boolean blockedOutput = blockedOutput();
            Pair<INDArray, INDArray> z = onPlainArrays(workspaceMgr, ArrayType.FF_WORKING_MEM,
                    () -> onPlainKernels(false, () -> super.preOutput(training, forBackprop, workspaceMgr)));
            return blockedOutput ? new Pair<>(ChannelBlocks.toBlocked(z.getFirst(), workspaceMgr,
                    ArrayType.ACTIVATIONS), null) : z;
        }
        if (preOutput != null && forBackprop) {
            return new Pair<>(preOutput, null);
        }
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray bias = hasBias() ? getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr)
                : null;
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                conv.geometry().outputDims(), 'c');
        conv.forward(HostFloats.dense(input), HostFloats.dense(weights), bias == null ? null : HostFloats.dense(bias),
                z);
        return new Pair<>(z, null);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray a = super.activate(training, workspaceMgr);
        boolean keep = training && layerConf().getActivationFn() instanceof KerasRelu && dnnl() != null;
        // ReLU's gradient reads only the sign of its input, which its output keeps: no second forward pass
        trainingActivation = keep ? a : null;
        trainingInput = keep ? input : null;
        return a;
    }

    /** The gradient with respect to the convolution's output (before its activation). */
    private INDArray outputGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        IActivation afn = layerConf().getActivationFn();
        if (afn instanceof ActivationIdentity) {
            return epsilon;
        }
        if (afn instanceof KerasRelu && trainingActivation != null && trainingInput == input
                && java.util.Arrays.equals(trainingActivation.shape(), epsilon.shape())) {
            INDArray delta = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                    epsilon.shape(), 'c');
            Nd4j.exec(new Step(trainingActivation, delta, 0.0));
            return delta.muli(epsilon);
        }
        INDArray z = preOutput(true, true, workspaceMgr).getFirst();
        return afn.backprop(z, epsilon).getFirst();
    }

    /** Whether this configuration and input can take one of the matrix-product backward passes. */
    private boolean ownBackward() {
        if (!plainConvolution()) {
            return false;
        }
        var c = layerConf();
        long outHeight = (input.size(2) + c.getStride()[0] - 1) / c.getStride()[0];
        long outWidth = (input.size(3) + c.getStride()[1] - 1) / c.getStride()[1];
        return !inputGradient() || Math.max(outHeight, outWidth) <= GEMM_MAX_SIDE;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        DnnlConvolution conv = dnnl();
        if (conv != null && conv.backwardAvailable(inputGradient())) {
            return dnnlBackward(conv, epsilon, workspaceMgr);
        }
        if (blockedInput() || blockedOutput()) {
            boolean blockedInput = blockedInput();
            INDArray plainEpsilon = blockedOutput()
                    ? ChannelBlocks.toPlain(HostFloats.dense(epsilon), workspaceMgr, ArrayType.BP_WORKING_MEM)
                    : epsilon;
            preOutput = null; // a cached pre-activation is in the blocked layout
            trainingActivation = null;
            Pair<Gradient, INDArray> g = onPlainArrays(workspaceMgr, ArrayType.BP_WORKING_MEM,
                    () -> backpropGradient(plainEpsilon, workspaceMgr));
            return blockedInput ? new Pair<>(g.getFirst(), ChannelBlocks.toBlocked(g.getSecond(), workspaceMgr,
                    ArrayType.ACTIVATION_GRAD)) : g;
        }
        if (!ownBackward()) {
            return onPlainKernels(true, () -> super.backpropGradient(epsilon, workspaceMgr));
        }
        return onPlainKernels(true, () -> productBackward(epsilon, workspaceMgr));
    }

    /** The matrix-product backward passes (see the class comment), on plain arrays and kernels. */
    private Pair<Gradient, INDArray> productBackward(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        var c = layerConf();
        INDArray delta = outputGradient(epsilon, workspaceMgr);
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

    private Pair<Gradient, INDArray> dnnlBackward(DnnlConvolution conv, INDArray epsilon,
                                                  LayerWorkspaceMgr workspaceMgr) {
        INDArray delta = HostFloats.dense(outputGradient(epsilon, workspaceMgr));
        preOutput = null;
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray biasGrad = hasBias() ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
        boolean needed = inputGradient();
        // the network's input takes no gradient; zeros keep any graph's epsilon sums well defined
        INDArray inputGrad = needed
                ? workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c')
                : workspaceMgr.create(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        conv.backward(HostFloats.dense(input), HostFloats.dense(weights), delta, needed ? inputGrad : null,
                requireView(weightGrad), biasGrad == null ? null : requireView(biasGrad));
        Gradient gradient = new DefaultGradient();
        if (biasGrad != null) {
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
        weightNoiseParams.clear();
        trainingActivation = null;
        trainingInput = null;
        return new Pair<>(gradient, inputGrad);
    }

    /** A gradient view oneDNN writes into directly: DL4J lays them out densely in its flat gradient. */
    private static INDArray requireView(INDArray view) {
        if (!HostFloats.isDenseC(view)) {
            throw new IllegalStateException("convolution gradient view is not dense C order: "
                    + view.shapeInfoToString());
        }
        return view;
    }

    private static int padBefore(long in, long out, int kernel, int stride) {
        return (int) (Math.max((out - 1) * stride + kernel - in, 0) / 2);
    }
}
