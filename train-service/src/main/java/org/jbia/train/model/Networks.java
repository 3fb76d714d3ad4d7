package org.jbia.train.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.Problems;
import org.jbia.common.schema.TrainSpec;

/**
 * pyBIA's four networks, built as {@link NetworkSpec}s from the network name and its options under
 * pyBIA's names and defaults. Departures from pyBIA (spec §9): one sigmoid output unit; batch norm
 * never after the output; {@code resnet18} is the standard ResNet-18.
 */
public final class Networks {
    public static final List<String> ACTIVATIONS = List.of("relu", "sigmoid", "tanh", "elu", "selu", "linear",
            "softplus", "softsign", "swish");
    public static final List<String> INITIALIZERS = List.of("uniform_scaling", "TruncatedNormal", "he_normal",
            "he_uniform", "lecun_uniform", "lecun_normal", "glorot_uniform", "glorot_normal");
    public static final List<String> MODEL_REGS = List.of("none", "batch_norm", "local_response");

    /** Keras' BatchNormalization defaults, used for pyBIA's model_reg='batch_norm'. */
    static final Layer.BatchNorm KERAS_BN = new Layer.BatchNorm(0.99, 1e-3);
    /** PyTorch's defaults, used for the standard ResNet-18 (momentum 0.1 = running average decay 0.9). */
    static final Layer.BatchNorm TORCH_BN = new Layer.BatchNorm(0.9, 1e-5);
    /** pyBIA's tf.nn.local_response_normalization(depth_radius=5, bias=2, alpha=1e-4, beta=0.75). */
    static final Layer.LocalResponse PYBIA_LRN = new Layer.LocalResponse(5, 2, 1e-4, 0.75);

    private Networks() {
    }

    /** Problems with the network options alone (no data needed). */
    public static Problems problems(String clf, Map<String, Object> options) {
        Problems p = new Problems();
        if (!TrainSpec.NETWORKS.contains(clf)) {
            p.add("clf", clf, "expected one of " + String.join(", ", TrainSpec.NETWORKS));
            return p;
        }
        build(clf, options, Shape.image(64, 64, 1), p);
        return p;
    }

    /** The network for inputs of height × width × bands; throws listing every problem of the options. */
    public static NetworkSpec build(String clf, Map<String, Object> options, int height, int width, int bands) {
        Problems p = new Problems();
        if (!TrainSpec.NETWORKS.contains(clf)) {
            p.add("clf", clf, "expected one of " + String.join(", ", TrainSpec.NETWORKS));
            p.throwIfAny("network");
        }
        NetworkSpec net = build(clf, options, Shape.image(height, width, bands), p);
        p.throwIfAny("network");
        return net;
    }

    /** The crop size asked for in the options ({@code image_size}), or 0 to use the images as they are. */
    public static int imageSize(Map<String, Object> options) {
        Object v = options == null ? null : options.get("image_size");
        return v instanceof Number n ? n.intValue() : 0;
    }

    private static NetworkSpec build(String clf, Map<String, Object> options, Shape input, Problems p) {
        OptionReader o = new OptionReader(options, p);
        o.integer("image_size", 0, 1);
        Common c = new Common(
                o.choice("activation_conv", "relu", ACTIVATIONS),
                o.choice("activation_dense", "relu", ACTIVATIONS),
                o.choice("conv_init", "uniform_scaling", INITIALIZERS),
                o.choice("dense_init", "TruncatedNormal", INITIALIZERS),
                o.number("conv_reg", 0, 0, Double.MAX_VALUE),
                o.number("dense_reg", 0, 0, Double.MAX_VALUE),
                o.choice("model_reg", switch (clf) {
                    case "alexnet" -> "local_response";
                    case "custom_cnn", "resnet18" -> "batch_norm";
                    default -> "none";
                }, MODEL_REGS));
        List<Layer> layers = switch (clf) {
            case "alexnet" -> alexnet(o, c);
            case "vgg16" -> vgg16(o, c);
            case "resnet18" -> resnet18(o, c);
            default -> customCnn(o, c);
        };
        o.rejectUnknown(clf);
        layers.add(new Layer.Output(c.denseInit));
        return new NetworkSpec(clf, input, layers);
    }

    private record Common(String activationConv, String activationDense, String convInit, String denseInit,
                          double convReg, double denseReg, String modelReg) {
        boolean batchNorm() {
            return "batch_norm".equals(modelReg);
        }

        boolean lrn() {
            return "local_response".equals(modelReg);
        }

        /** Keras Conv2D with its activation inside; batch norm (pyBIA's) comes after the activation. */
        void conv(List<Layer> out, int filters, int kernel, int stride) {
            out.add(new Layer.Conv(filters, kernel, stride, activationConv, convInit, true, convReg));
            if (batchNorm()) {
                out.add(KERAS_BN);
            }
        }

        void pool(List<Layer> out, PoolType type, int size, int stride, boolean lrnAfter) {
            if (type != null) {
                out.add(new Layer.Pool(type, size, stride));
            }
            if (lrnAfter && lrn()) {
                out.add(PYBIA_LRN);
            }
        }

        /** Dense → Dropout → [BN], as pyBIA's dense block. */
        void dense(List<Layer> out, int units, double dropout) {
            out.add(new Layer.Dense(units, activationDense, denseInit, denseReg));
            if (dropout > 0) {
                out.add(new Layer.Dropout(dropout));
            }
            if (batchNorm()) {
                out.add(KERAS_BN);
            }
        }
    }

    private static List<Layer> alexnet(OptionReader o, Common c) {
        int[] filters = {96, 256, 384, 384, 256};
        int[] sizes = {11, 5, 3, 3, 3};
        int[] strides = {4, 1, 1, 1, 1};
        List<Layer> out = new ArrayList<>();
        PoolType[] pooling = new PoolType[3];
        int[] poolSize = new int[3];
        int[] poolStride = new int[3];
        for (int i = 0; i < 3; i++) {
            pooling[i] = o.pooling("pooling_" + (i + 1), PoolType.MAX);
            poolSize[i] = o.integer("pool_size_" + (i + 1), 3, 1);
            poolStride[i] = o.integer("pool_stride_" + (i + 1), 2, 1);
        }
        for (int i = 0; i < 5; i++) {
            c.conv(out, o.integer("filter_" + (i + 1), filters[i], 1), o.integer("filter_size_" + (i + 1), sizes[i], 1),
                    o.integer("strides_" + (i + 1), strides[i], 1));
            if (i < 2) {
                c.pool(out, pooling[i], poolSize[i], poolStride[i], true);
            }
        }
        c.pool(out, pooling[2], poolSize[2], poolStride[2], false);
        out.add(new Layer.Flatten());
        for (int i = 1; i <= 2; i++) {
            c.dense(out, o.integer("dense_neurons_" + i, 4096, 1), o.number("dropout_" + i, 0.5, 0, 1));
        }
        return out;
    }

    private static List<Layer> vgg16(OptionReader o, Common c) {
        int[] convs = {2, 2, 3, 3, 3};
        int[] filters = {64, 128, 256, 512, 512};
        List<Layer> out = new ArrayList<>();
        for (int b = 1; b <= 5; b++) {
            int f = o.integer("filter_" + b, filters[b - 1], 1);
            int k = o.integer("filter_size_" + b, 3, 1);
            int s = o.integer("strides_" + b, 1, 1);
            PoolType pooling = o.pooling("pooling_" + b, PoolType.MAX);
            int poolSize = o.integer("pool_size_" + b, 2, 1);
            int poolStride = o.integer("pool_stride_" + b, 2, 1);
            for (int i = 0; i < convs[b - 1]; i++) {
                c.conv(out, f, k, s);
            }
            c.pool(out, pooling, poolSize, poolStride, true);
        }
        out.add(new Layer.Flatten());
        for (int i = 1; i <= 2; i++) {
            c.dense(out, o.integer("dense_neurons_" + i, 4096, 1), o.number("dropout_" + i, 0.5, 0, 1));
        }
        return out;
    }

    /**
     * The standard ResNet-18 (torchvision's): conv stem → BN → act, pooling, four stages of two basic
     * blocks (conv-BN-act-conv-BN plus a 1×1 conv-BN projection where the shape changes; activation after
     * the addition), global average pooling. Without batch norm the convolutions get biases instead.
     */
    private static List<Layer> resnet18(OptionReader o, Common c) {
        int stemFilters = o.integer("filters", 64, 1);
        int stemKernel = o.integer("filter_size", 7, 1);
        int stemStride = o.integer("strides", 2, 1);
        PoolType pooling = o.pooling("pooling", PoolType.MAX);
        int poolSize = o.integer("pool_size", 3, 1);
        int poolStride = o.integer("pool_stride", 2, 1);
        int[] defaults = {64, 128, 256, 512};
        int[] blockFilters = new int[4];
        for (int i = 0; i < 4; i++) {
            blockFilters[i] = o.integer("block_filters_" + (i + 1), defaults[i], 1);
        }
        int k = o.integer("block_filters_size", 3, 1);
        boolean bn = c.batchNorm();
        List<Layer> out = new ArrayList<>();
        convBnAct(out, stemFilters, stemKernel, stemStride, c.activationConv, c, bn);
        c.pool(out, pooling, poolSize, poolStride, true);
        int in = stemFilters;
        for (int stage = 0; stage < 4; stage++) {
            int f = blockFilters[stage];
            for (int block = 0; block < 2; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                List<Layer> main = new ArrayList<>();
                convBnAct(main, f, k, stride, c.activationConv, c, bn);
                convBnAct(main, f, k, 1, "linear", c, bn);
                List<Layer> shortcut = new ArrayList<>();
                if (stride > 1 || in != f) {
                    convBnAct(shortcut, f, 1, stride, "linear", c, bn);
                }
                out.add(new Layer.Residual(main, shortcut, c.activationConv));
                in = f;
            }
        }
        out.add(new Layer.GlobalAveragePool());
        return out;
    }

    private static void convBnAct(List<Layer> out, int filters, int kernel, int stride, String activation, Common c,
                                  boolean bn) {
        if (bn) {
            out.add(new Layer.Conv(filters, kernel, stride, "linear", c.convInit, false, c.convReg));
            out.add(TORCH_BN);
            if (!"linear".equals(activation)) {
                out.add(new Layer.Act(activation));
            }
        } else {
            out.add(new Layer.Conv(filters, kernel, stride, activation, c.convInit, true, c.convReg));
        }
    }

    /** pyBIA's custom_model: one to three conv layers (layer k exists when filter_k > 0), one to three dense. */
    private static List<Layer> customCnn(OptionReader o, Common c) {
        List<Layer> out = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int f = o.integer("filter_" + i, i == 1 ? 256 : 0, i == 1 ? 1 : 0);
            int k = o.integer("filter_size_" + i, i == 1 ? 7 : 3, 1);
            int s = o.integer("strides_" + i, 1, 1);
            PoolType pooling = o.pooling("pooling_" + i, i == 1 ? PoolType.AVERAGE : null);
            int poolSize = o.integer("pool_size_" + i, 3, 1);
            int poolStride = o.integer("pool_stride_" + i, 3, 1);
            if (f > 0) {
                c.conv(out, f, k, s);
                c.pool(out, pooling, poolSize, poolStride, true);
            }
        }
        out.add(new Layer.Flatten());
        for (int i = 1; i <= 3; i++) {
            int units = o.integer("dense_neurons_" + i, i == 1 ? 4096 : 0, i == 1 ? 1 : 0);
            double dropout = o.number("dropout_" + i, i == 1 ? 0.5 : 0, 0, 1);
            if (units > 0) {
                c.dense(out, units, dropout);
            }
        }
        return out;
    }
}
