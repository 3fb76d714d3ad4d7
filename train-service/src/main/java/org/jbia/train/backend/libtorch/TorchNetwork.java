package org.jbia.train.backend.libtorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jbia.train.model.Layer;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.PoolType;
import org.jbia.train.model.Shape;

/**
 * A {@link NetworkSpec} as libtorch tensors and a forward pass written with DJL's NDArray ops, NCHW
 * inside. What DJL lacks is built from its ops: TensorFlow's 'same' padding (asymmetric where the
 * total padding is odd: explicit padding, the odd pixel after), min pooling (−maxpool(−x)), average
 * pooling that leaves padded cells out of the divisor, TensorFlow's local response normalisation.
 * The network ends in the logit of the one output unit; the sigmoid is applied by the caller.
 * Activations are channels-last throughout; convolutions onto small maps are one matrix product
 * ({@link #GEMM_MAX_SIDE}).
 */
final class TorchNetwork {

    /**
     * Convolutions whose output is at most this many pixels a side run as one matrix product (im2col, then
     * MKL's GEMM) instead of oneDNN's convolution: on such tiny maps its kernels reach about half of what
     * the GEMM does. ResNet-18's 512→512 3×3 convolution on 3×3 maps, batch 32, forward and backward:
     * oneDNN about 36 ms channels-last (30 ms plain), the product alone about 21 ms, with gathering the
     * windows about 25 ms; on 5×5 maps oneDNN is already the faster (about 20 against 22 ms). Measured with
     * libtorch 2.7.1 on 2 AVX-512 cores.
     */
    static final int GEMM_MAX_SIDE = 3;

    /** What a parameter is, which decides its initial value. */
    enum Role { WEIGHT, BIAS, GAMMA, BETA, RUNNING_MEAN, RUNNING_VAR }

    /**
     * One tensor of the network.
     *
     * @param l2 Keras' L2 factor on this tensor (the loss gains l2·Σw²), 0 for none
     */
    record Parameter(String name, NDArray array, Role role, double l2) {
        /** Trained by gradient steps; batch norm's running statistics are state, not trained. */
        boolean trainable() {
            return role != Role.RUNNING_MEAN && role != Role.RUNNING_VAR;
        }
    }

    /** Supplies the tensor for each parameter as the network is built: fresh weights, or saved ones. */
    interface Source {
        NDArray next(String name, ai.djl.ndarray.types.Shape shape, Role role, String init, double fanIn,
                     double fanOut);
    }

    private interface Op {
        /**
         * @param fold whether a convolution followed by batch norm applies both at once, the normalisation
         *             folded into its kernels and bias (inference only; {@link #foldedBatchNorm})
         */
        NDArray apply(NDArray x, boolean training, boolean fold);
    }

    private final NDManager manager;
    private final Source source;
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<Op> ops;
    private final boolean dropout;
    private int next;

    /** Builds the network's parameters (in a fixed order, the same for every build) on {@code manager}. */
    TorchNetwork(NetworkSpec spec, NDManager manager, Source source) {
        this.manager = manager;
        this.source = source;
        this.ops = compile(spec.layers(), spec.input());
        this.dropout = hasDropout(spec.layers());
    }

    List<Parameter> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    /** Whether the forward pass in training mode draws random numbers. */
    boolean hasDropout() {
        return dropout;
    }

    /** The output logits, N×1, of images N×C×H×W. */
    NDArray forward(NDArray x, boolean training) {
        return forward(x, training, ops.size(), !training);
    }

    /** The activations after the first {@code layers} layers of the spec (to look at one layer alone). */
    NDArray forward(NDArray x, boolean training, int layers) {
        return forward(x, training, layers, false);
    }

    private NDArray forward(NDArray x, boolean training, int layers, boolean fold) {
        NDArray y = x;
        for (Op op : ops.subList(0, layers)) {
            y = op.apply(y, training, fold);
        }
        return y;
    }

    private static boolean hasDropout(List<Layer> layers) {
        for (Layer l : layers) {
            if (l instanceof Layer.Dropout d && d.rate() > 0
                    || l instanceof Layer.Residual r && (hasDropout(r.main()) || hasDropout(r.shortcut()))) {
                return true;
            }
        }
        return false;
    }

    private List<Op> compile(List<Layer> layers, Shape in) {
        List<Op> out = new ArrayList<>();
        Shape s = in;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer instanceof Layer.Conv c && "linear".equals(c.activation()) && i + 1 < layers.size()
                    && layers.get(i + 1) instanceof Layer.BatchNorm bn) {
                out.addAll(foldedBatchNorm(c, bn, s));
                s = bn.outputShape(c.outputShape(s));
                i++;
                continue;
            }
            out.add(compile(layer, s));
            s = layer.outputShape(s);
        }
        return out;
    }

    /**
     * A linear convolution and the batch norm after it, as their two ops; in inference the first applies
     * both, batch norm folded into the kernels and bias (w·s and β + (b − μ)·s with s = γ/√(σ² + ε), per
     * output channel), and the second passes its input on: one pass over the activations instead of two.
     * The folded tensors are made per forward pass from the current weights (one pass over the kernels).
     */
    private List<Op> foldedBatchNorm(Layer.Conv c, Layer.BatchNorm bn, Shape in) {
        Kernels kernels = kernels(c, in);
        Convolution convolution = convolution(c, in);
        Normalisation norm = normalisation(bn, c.outputShape(in));
        NDArray w = kernels.weights();
        NDArray b = kernels.bias();
        Op folded = (x, training, fold) -> {
            if (!fold) {
                return convolution.apply(x, w, b);
            }
            NDArray scale = norm.gamma().div(norm.var().add(norm.epsilon()).sqrt());
            NDArray shift = (b == null ? norm.mean().neg() : b.sub(norm.mean())).mul(scale).add(norm.beta());
            return convolution.apply(x, w.mul(scale.reshape(-1, 1, 1, 1)), shift);
        };
        return List.of(folded, (x, training, fold) -> fold ? x : norm.apply(x, training));
    }

    /** A conv layer's kernels O×I×kH×kW and bias (null without one). */
    private record Kernels(NDArray weights, NDArray bias) {
    }

    private Kernels kernels(Layer.Conv c, Shape in) {
        String n = prefix("conv");
        int k = c.kernel();
        NDArray w = parameter(n + "weight", Role.WEIGHT, c.init(), (double) k * k * in.channels(),
                (double) k * k * c.filters(), c.l2(), c.filters(), in.channels(), k, k);
        NDArray b = c.bias() ? parameter(n + "bias", Role.BIAS, null, 0, 0, 0, c.filters()) : null;
        return new Kernels(w, b);
    }

    /** A batch norm layer's tensors and constants. */
    private record Normalisation(NDArray gamma, NDArray beta, NDArray mean, NDArray var, float momentum,
                                 float epsilon) {
        NDArray apply(NDArray x, boolean training) {
            // axis -1: DJL hands the call straight to torch's batch_norm, which normalises dim 1 (channels
            // after a convolution, features after a dense layer); momentum as Keras' (DJL converts it)
            return BatchNorm.batchNorm(x, mean, var, gamma, beta, -1, momentum, epsilon, training).singletonOrThrow();
        }
    }

    private Normalisation normalisation(Layer.BatchNorm bn, Shape in) {
        String n = prefix("batch_norm");
        long c = in.channels();
        NDArray gamma = parameter(n + "gamma", Role.GAMMA, null, 0, 0, 0, c);
        NDArray beta = parameter(n + "beta", Role.BETA, null, 0, 0, 0, c);
        NDArray mean = parameter(n + "running_mean", Role.RUNNING_MEAN, null, 0, 0, 0, c);
        NDArray var = parameter(n + "running_var", Role.RUNNING_VAR, null, 0, 0, 0, c);
        return new Normalisation(gamma, beta, mean, var, (float) bn.momentum(), (float) bn.epsilon());
    }

    /** A convolution with given kernels and bias, before its activation. */
    private interface Convolution {
        NDArray apply(NDArray x, NDArray kernels, NDArray bias);
    }

    /** Layer c's convolution: one matrix product onto small maps ({@link #GEMM_MAX_SIDE}), else oneDNN's. */
    private Convolution convolution(Layer.Conv c, Shape in) {
        int k = c.kernel();
        SamePadding pad = new SamePadding(in, k, c.stride());
        Shape out = c.outputShape(in);
        if (Math.max(out.height(), out.width()) <= GEMM_MAX_SIDE) {
            Windows windows = new Windows(in, out, k, c.stride(), pad);
            // the kernels as rows O×(kH·kW·I), a view of their channels-last memory, taken in every pass so
            // that the gradient reaches them
            return (x, kernels, bias) -> windows.convolve(x, kernels.transpose(0, 2, 3, 1)
                    .reshape(c.filters(), -1), bias);
        }
        ai.djl.ndarray.types.Shape stride = dims(c.stride(), c.stride());
        return (x, kernels, bias) -> Conv2d.conv2d(pad.explicit(x, 0), kernels, bias, stride, pad.implicit(),
                dims(1, 1), 1).singletonOrThrow();
    }

    private NDArray parameter(String name, Role role, String init, double fanIn, double fanOut, double l2,
                              long... shape) {
        NDArray a = source.next(name, new ai.djl.ndarray.types.Shape(shape), role, init, fanIn, fanOut);
        if (shape.length == 4) {
            a = channelsLast(a);
        }
        a.setName(name);
        Parameter p = new Parameter(name, a, role, l2);
        if (p.trainable()) {
            a.setRequiresGradient(true);
        }
        parameters.add(p);
        return a;
    }

    /**
     * The same O×I×kH×kW kernel with its memory laid out O×kH×kW×I, torch's channels-last, the layout of
     * the activations (the images come in N×H×W×C): libtorch otherwise copies every kernel into that
     * layout in every forward pass, and every kernel gradient back. Permuted here on the host; the
     * O×kH×kW×I tensor stays with the manager, the kernel is a view of it.
     */
    private NDArray channelsLast(NDArray kernel) {
        long[] d = kernel.getShape().getShape();
        int out = Math.toIntExact(d[0]);
        int in = Math.toIntExact(d[1]);
        int taps = Math.toIntExact(d[2] * d[3]);
        float[] oihw = kernel.toFloatArray();
        float[] ohwi = new float[oihw.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int t = 0; t < taps; t++) {
                    ohwi[(o * taps + t) * in + i] = oihw[(o * in + i) * taps + t];
                }
            }
        }
        kernel.close();
        return manager.create(ohwi, dims(d[0], d[2], d[3], d[1])).transpose(0, 3, 1, 2);
    }

    private String prefix(String kind) {
        return String.format("%03d_%s.", next++, kind);
    }

    private Op compile(Layer layer, Shape in) {
        if (layer instanceof Layer.Conv c) {
            Kernels kernels = kernels(c, in);
            UnaryOperator<NDArray> act = activation(c.activation());
            Convolution convolution = convolution(c, in);
            return (x, training, fold) -> act.apply(convolution.apply(x, kernels.weights(), kernels.bias()));
        }
        if (layer instanceof Layer.Pool p) {
            return pool(p, in);
        }
        if (layer instanceof Layer.BatchNorm bn) {
            Normalisation norm = normalisation(bn, in);
            return (x, training, fold) -> norm.apply(x, training);
        }
        if (layer instanceof Layer.LocalResponse l) {
            return localResponse(l);
        }
        if (layer instanceof Layer.Act a) {
            UnaryOperator<NDArray> act = activation(a.activation());
            return (x, training, fold) -> act.apply(x);
        }
        if (layer instanceof Layer.Flatten) {
            return (x, training, fold) -> x.reshape(x.getShape().get(0), -1);
        }
        if (layer instanceof Layer.GlobalAveragePool) {
            return (x, training, fold) -> Pool.globalAvgPool2d(x);
        }
        if (layer instanceof Layer.Dense d) {
            String n = prefix("dense");
            NDArray w = parameter(n + "weight", Role.WEIGHT, d.init(), in.size(), d.units(), d.l2(), d.units(),
                    in.size());
            NDArray b = parameter(n + "bias", Role.BIAS, null, 0, 0, 0, d.units());
            UnaryOperator<NDArray> act = activation(d.activation());
            return (x, training, fold) -> act.apply(Linear.linear(x, w, b).singletonOrThrow());
        }
        if (layer instanceof Layer.Dropout d) {
            float rate = (float) d.rate();
            return (x, training, fold) -> training && rate > 0 ? Dropout.dropout(x, rate, true).singletonOrThrow()
                    : x;
        }
        if (layer instanceof Layer.Residual r) {
            List<Op> main = compile(r.main(), in);
            List<Op> shortcut = compile(r.shortcut(), in);
            UnaryOperator<NDArray> act = activation(r.activation());
            return (x, training, fold) -> {
                NDArray m = x;
                for (Op op : main) {
                    m = op.apply(m, training, fold);
                }
                NDArray s = x;
                for (Op op : shortcut) {
                    s = op.apply(s, training, fold);
                }
                return act.apply(m.add(s));
            };
        }
        if (layer instanceof Layer.Output o) {
            String n = prefix("output");
            NDArray w = parameter(n + "weight", Role.WEIGHT, o.init(), in.size(), 1, 0, 1, in.size());
            NDArray b = parameter(n + "bias", Role.BIAS, null, 0, 0, 0, 1);
            return (x, training, fold) -> Linear.linear(x, w, b).singletonOrThrow();
        }
        throw new IllegalArgumentException("layer " + layer + " is not known");
    }

    /**
     * The k×k windows of a convolution, one row of k·k·I values per output pixel, as one gather from the
     * channels-last padded input (its backward pass is one scatter-add; slicing the k² taps one by one
     * costs a zeroed copy of the input per tap in the backward pass).
     */
    private final class Windows {
        private final SamePadding pad;
        private final Shape out;
        /** For each output pixel and tap, in that order, the position of its input pixel in the padded map. */
        private final NDArray positions;
        private final long paddedSize;

        Windows(Shape in, Shape out, int k, int stride, SamePadding pad) {
            this.pad = pad;
            this.out = out;
            int paddedWidth = in.width() + pad.left + pad.right;
            paddedSize = (long) (in.height() + pad.top + pad.bottom) * paddedWidth;
            long[] at = new long[out.height() * out.width() * k * k];
            int i = 0;
            for (int oy = 0; oy < out.height(); oy++) {
                for (int ox = 0; ox < out.width(); ox++) {
                    for (int dy = 0; dy < k; dy++) {
                        for (int dx = 0; dx < k; dx++) {
                            at[i++] = (long) (oy * stride + dy) * paddedWidth + ox * stride + dx;
                        }
                    }
                }
            }
            positions = manager.create(at).reshape(1, at.length);
        }

        /** x N×I×H×W (channels-last) convolved with kernel rows O×(k·k·I): N×O×h×w, channels-last. */
        NDArray convolve(NDArray x, NDArray rows, NDArray bias) {
            long n = x.getShape().get(0);
            long channels = x.getShape().get(1);
            NDArray nhwc = x.transpose(0, 2, 3, 1);
            NDArray padded = pad.none() ? nhwc : nhwc.pad(dims(0, 0, pad.left, pad.right, pad.top, pad.bottom), 0);
            // one row per (image, output pixel, tap), each image's positions offset by its own padded map
            NDArray images = x.getManager().arange(0, n * paddedSize, paddedSize, DataType.INT64).reshape(n, 1);
            long taps = n * positions.size();
            NDArray at = positions.add(images).reshape(taps, 1).broadcast(taps, channels);
            NDArray windows = padded.reshape(n * paddedSize, channels).gather(at, 0)
                    .reshape(n * out.height() * out.width(), -1);
            NDArray y = bias == null ? windows.dot(rows.transpose())
                    : Linear.linear(windows, rows, bias).singletonOrThrow();
            return y.reshape(n, out.height(), out.width(), -1).transpose(0, 3, 1, 2);
        }
    }

    private Op pool(Layer.Pool p, Shape in) {
        SamePadding pad = new SamePadding(in, p.size(), p.stride());
        ai.djl.ndarray.types.Shape kernel = dims(p.size(), p.size());
        ai.djl.ndarray.types.Shape stride = dims(p.stride(), p.stride());
        if (p.pooling() == PoolType.AVERAGE) {
            Op sum = (x, training, fold) -> Pool.avgPool2d(pad.explicit(x, 0), kernel, stride, pad.implicit(), false,
                    true);
            if (pad.none()) {
                return sum;
            }
            // padded zeros count in torch's divisor (its count_include_pad=false is not honoured through DJL
            // 0.36): divide by the share of real cells in each window instead
            NDArray realShare;
            try (NDArray ones = manager.ones(new ai.djl.ndarray.types.Shape(1, 1, in.height(), in.width()))) {
                realShare = sum.apply(ones, false, false);
            }
            return (x, training, fold) -> sum.apply(x, training, fold).div(realShare);
        }
        // padded cells must never win: −∞ where padding is explicit, torch's own padding acts the same, and
        // so does the extra window of ceil mode (the odd pixel after, without a padded copy of the input)
        Op max = pad.byCeilMode()
                ? (x, training, fold) -> Pool.maxPool2d(x, kernel, stride, pad.before(), true)
                : (x, training, fold) -> Pool.maxPool2d(pad.explicit(x, Double.NEGATIVE_INFINITY), kernel, stride,
                        pad.implicit(), false);
        if (p.pooling() == PoolType.MIN) {
            return (x, training, fold) -> max.apply(x.neg(), training, fold).neg();
        }
        return max;
    }

    /** TensorFlow's LRN: x / (bias + alpha·Σ x² over 2r+1 neighbouring channels)^beta. */
    private static Op localResponse(Layer.LocalResponse l) {
        int r = l.depthRadius();
        int window = 2 * r + 1;
        float alpha = (float) l.alpha();
        float bias = (float) l.bias();
        float beta = (float) l.beta();
        ai.djl.ndarray.types.Shape kernel = dims(window, 1, 1);
        ai.djl.ndarray.types.Shape stride = dims(1, 1, 1);
        ai.djl.ndarray.types.Shape padding = dims(r, 0, 0);
        return (x, training, fold) -> {
            // channel sums as a 3-D average over (channels, 1, 1) windows, zero-padded, times the window
            NDArray squares = x.square().expandDims(1);
            NDArray sums = Pool.avgPool3d(squares, kernel, stride, padding, false, true).squeeze(1).mul(window);
            return x.div(sums.mul(alpha).add(bias).pow(beta));
        };
    }

    static UnaryOperator<NDArray> activation(String name) {
        return switch (name) {
            case "relu" -> Activation::relu;
            case "sigmoid" -> Activation::sigmoid;
            case "tanh" -> Activation::tanh;
            case "elu" -> x -> Activation.elu(x, 1f);
            case "selu" -> Activation::selu;
            case "linear" -> x -> x;
            case "softplus" -> Activation::softPlus;
            case "softsign" -> Activation::softSign;
            case "swish" -> x -> Activation.swish(x, 1f);
            default -> throw new IllegalArgumentException("activation '" + name + "' is not known");
        };
    }

    static ai.djl.ndarray.types.Shape dims(long... d) {
        return new ai.djl.ndarray.types.Shape(d);
    }

    /**
     * TensorFlow's 'same' padding for one convolution or pooling: symmetric padding is left to torch's op;
     * an odd total is padded explicitly, the extra pixel after (bottom, right).
     */
    private static final class SamePadding {
        private final int top;
        private final int bottom;
        private final int left;
        private final int right;

        private final int stride;

        SamePadding(Shape in, int kernel, int stride) {
            int h = Shape.samePadding(in.height(), kernel, stride);
            int w = Shape.samePadding(in.width(), kernel, stride);
            top = h / 2;
            bottom = h - top;
            left = w / 2;
            right = w - left;
            this.stride = stride;
        }

        boolean symmetric() {
            return top == bottom && left == right;
        }

        /**
         * Whether torch's ceil mode with {@link #before()} padding gives the same windows (for max pooling):
         * one pixel more after than before on both axes, stride above 1, so that ceil mode adds exactly the
         * one window that reaches the missing pixel.
         */
        boolean byCeilMode() {
            return bottom == top + 1 && right == left + 1 && stride > 1;
        }

        ai.djl.ndarray.types.Shape before() {
            return dims(top, left);
        }

        boolean none() {
            return bottom == 0 && right == 0;
        }

        /** The padding for torch's op: all of it when symmetric, else none (it was done by {@link #explicit}). */
        ai.djl.ndarray.types.Shape implicit() {
            return symmetric() ? dims(top, left) : dims(0, 0);
        }

        NDArray explicit(NDArray x, double value) {
            return symmetric() ? x : x.pad(dims(left, right, top, bottom), value);
        }
    }
}
