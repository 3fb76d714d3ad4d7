package org.jbia.train.backend.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * oneDNN's channel-blocked layout (nChw16c, or nChw8c on processors without AVX-512) for the activations and
 * gradients that pass between jBIA's own layers. Such an array keeps its N×C×H×W shape, but its buffer holds,
 * image by image, C/b blocks of H×W pixels of b channels each: the layout oneDNN's direct convolution and
 * batch-norm kernels work in. Without it, every convolution reorders its input, its output and both their
 * gradients, each pass (about 47 ms of a 533 ms ResNet-18 step of 32 images on an AVX-512 machine), and
 * batch norm runs outside oneDNN.
 *
 * <p>The contract: only jBIA's convolution, batch norm, pooling and global pooling (the last reads it
 * through a plain copy), and the element-wise operations between them (activation layers, residual
 * additions, scalings), ever see a blocked array; every other DL4J layer, the network's input and its
 * output see plain N×C×H×W. {@link #plan} decides this once per graph and records
 * it in the layer configurations, so a saved model keeps its plan. A plan blocks only arrays with a multiple
 * of {@value #BLOCK} channels, which fill blocks of either size, so it holds on any processor; the block size
 * is this processor's ({@link #layout()}). A plan applies only where {@link #usable()} (ND4J on the CPU,
 * oneDNN 2.5 loaded and enabled, its blocked kernels available on this processor, and
 * {@value #ENABLED_PROPERTY} not "false"); else every array is plain.
 */
final class ChannelBlocks {
    /** System property: "false" keeps every array plain, with oneDNN 2.5 still on (read at each pass). */
    static final String ENABLED_PROPERTY = "jbia.dl4j.channelblocks";
    /** The channel counts a plan blocks are multiples of this: they fill blocks of every {@link Layout}. */
    static final int BLOCK = 16;

    /** A block size, with oneDNN's tags for blocked activations and for the kernels between them. */
    enum Layout {
        /** AVX-512's: nChw16c, and kernels in (O/16)×(I/16)×kH×kW tiles of 16 inputs by 16 outputs (OIhw16i16o). */
        SIXTEEN(16, memory.format_tag.nChw16c, memory.format_tag.ABcd16b16a),
        /** AVX2's: nChw8c, and OIhw8i8o kernels. */
        EIGHT(8, memory.format_tag.nChw8c, memory.format_tag.ABcd8b8a);

        final int block;
        final memory.format_tag activations;
        /** The kernels' tag: output channel fastest within a tile, then input channel. */
        final memory.format_tag kernels;

        Layout(int block, memory.format_tag activations, memory.format_tag kernels) {
            this.block = block;
            this.activations = activations;
            this.kernels = kernels;
        }

        static Layout ofBlock(int block) {
            for (Layout l : values()) {
                if (l.block == block) {
                    return l;
                }
            }
            throw new IllegalArgumentException("channel block of " + block + " channels: allowed are 16 and 8");
        }
    }

    /** The probe's answer; {@link Optional#empty()} when no layout has oneDNN kernels here. */
    private static volatile Optional<Layout> layout;

    private ChannelBlocks() {
    }

    /** Whether {@code channels} fill whole blocks, so that a blocked array has exactly N·C·H·W elements. */
    static boolean fits(long channels) {
        return channels > 0 && channels % BLOCK == 0;
    }

    /**
     * Whether planned blocked layouts apply in this JVM: oneDNN 2.5 is enabled and its optimised blocked
     * convolution and batch-norm kernels run on this processor for some {@link Layout}.
     */
    static boolean usable() {
        // layout() is null where oneDNN 2.5 is off
        return !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY)) && layout() != null;
    }

    /**
     * The blocked layout oneDNN 2.5's optimised kernels work in on this processor: 16-channel blocks where
     * they run (AVX-512), else 8-channel ones (AVX2), else null; whatever {@value #ENABLED_PROPERTY} says.
     */
    static Layout layout() {
        if (!DnnlConvolution.enabled()) {
            return null;
        }
        Optional<Layout> l = layout;
        if (l == null) {
            synchronized (ChannelBlocks.class) {
                l = layout;
                if (l == null) {
                    l = Arrays.stream(Layout.values()).filter(ChannelBlocks::runs).findFirst();
                    layout = l;
                }
            }
        }
        return l.orElse(null);
    }

    /** Whether a blocked convolution, forward and backward, and a blocked batch norm run optimised in {@code l}. */
    private static boolean runs(Layout l) {
        var g = DnnlConvolution.Geometry.same(2, BLOCK, 6, 6, BLOCK, 3, 3, 1, 1, false);
        try (DnnlConvolution conv = DnnlConvolution.forGeometry(g, l, true, true, true);
             DnnlBatchNorm norm = DnnlBatchNorm.forShape(g.outputDims(), 1e-3, true, l)) {
            return conv != null && conv.backwardAvailable(true) && norm != null;
        }
    }

    /** A plain N×C×H×W copy of the blocked array {@code blocked}, allocated as {@code type}. */
    static INDArray toPlain(INDArray blocked, LayerWorkspaceMgr workspaceMgr, ArrayType type) {
        return reorder(blocked, active().activations, memory.format_tag.nchw, workspaceMgr, type);
    }

    /** A blocked copy of the plain N×C×H×W array {@code plain}, allocated as {@code type}. */
    static INDArray toBlocked(INDArray plain, LayerWorkspaceMgr workspaceMgr, ArrayType type) {
        return reorder(HostFloats.dense(plain), memory.format_tag.nchw, active().activations, workspaceMgr, type);
    }

    /** This processor's layout, where blocked arrays exist at all. */
    static Layout active() {
        Layout l = layout();
        if (l == null) {
            throw new IllegalStateException("no channel-blocked layout runs here: oneDNN 2.5 is off or has no"
                    + " blocked kernels for this processor");
        }
        return l;
    }

    /**
     * Runs {@code pass} with a layer's input, the blocked array {@code blocked}, replaced by a plain copy
     * ({@code setInput} sets the layer's input field), and puts {@code blocked} back after it: for the layers'
     * DL4J paths, which read their input as plain N×C×H×W.
     */
    static <T> T withPlainInput(INDArray blocked, Consumer<INDArray> setInput, LayerWorkspaceMgr workspaceMgr,
                                ArrayType copy, Supplier<T> pass) {
        setInput.accept(toPlain(blocked, workspaceMgr, copy));
        try {
            return pass.get();
        } finally {
            setInput.accept(blocked);
        }
    }

    /**
     * Where element (o, i, y, x) of O×I×kH×kW kernels lies in a buffer of {@link Layout#kernels} with
     * {@code block}-channel tiles.
     */
    static long kernelIndex(long o, long i, long y, long x, long inputs, long kernelHeight, long kernelWidth,
                            int block) {
        long tile = ((o / block) * (inputs / block) + i / block) * kernelHeight * kernelWidth + y * kernelWidth + x;
        return tile * block * block + (i % block) * block + o % block;
    }

    /**
     * Writes the plain O×I×kH×kW kernels {@code plain} into {@code blocked} in {@code block}-channel tiles
     * ({@link Layout#kernels}); both dense, of one shape, and may be the same array. A Java permutation, not a
     * oneDNN reorder: a model whose kernels are stored blocked must load and run (through these copies) where
     * oneDNN does not.
     */
    static void kernelsToBlocked(INDArray plain, INDArray blocked, int block) {
        permuteKernels(plain, blocked, true, block);
    }

    /** The inverse of {@link #kernelsToBlocked}. */
    static void kernelsToPlain(INDArray blocked, INDArray plain, int block) {
        permuteKernels(blocked, plain, false, block);
    }

    private static void permuteKernels(INDArray from, INDArray to, boolean toBlocked, int block) {
        Layout.ofBlock(block);
        long[] s = from.shape();
        if (s.length != 4 || s[0] % block != 0 || s[1] % block != 0 || !Arrays.equals(s, to.shape())) {
            throw new IllegalArgumentException("blocked convolution kernels are O×I×kH×kW with multiples of " + block
                    + " output and input channels, got " + Arrays.toString(s) + " into " + Arrays.toString(to.shape()));
        }
        float[] a = HostFloats.read(from);
        float[] b = new float[a.length];
        int p = 0;
        for (long o = 0; o < s[0]; o++) {
            for (long i = 0; i < s[1]; i++) {
                for (long y = 0; y < s[2]; y++) {
                    for (long x = 0; x < s[3]; x++, p++) {
                        int q = (int) kernelIndex(o, i, y, x, s[1], s[2], s[3], block);
                        if (toBlocked) {
                            b[q] = a[p];
                        } else {
                            b[p] = a[q];
                        }
                    }
                }
            }
        }
        HostFloats.write(b, to);
    }

    /**
     * Stores a loaded graph's blocked kernels in this JVM's blocking, once: re-tiled where the model was trained
     * with another block size (16 on an AVX-512 machine, loaded on an AVX2 one, say), plain where blocked
     * kernels do not run here (or {@value #ENABLED_PROPERTY} is "false"). Else every pass of such a convolution
     * would convert a copy.
     */
    static void kernelsForThisJvm(ComputationGraph graph) {
        int block = usable() ? active().block : 0;
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            if (layer.conf().getLayer() instanceof KerasConv c && c.hasBlockedKernels()
                    && c.getKernelBlock() != block) {
                INDArray kernels = layer.getParam(ConvolutionParamInitializer.WEIGHT_KEY);
                kernelsToPlain(kernels, kernels, c.getKernelBlock());
                if (block > 0) {
                    kernelsToBlocked(kernels, kernels, block);
                }
                c.setKernelBlock(block);
            }
        }
        // the configuration a later save writes, should it hold copies of the layers' configurations
        graph.getConfiguration().getVertices().values().forEach(v -> {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof KerasConv c
                    && c.hasBlockedKernels()) {
                c.setKernelBlock(block);
            }
        });
    }

    /** For the fallback paths only (a geometry oneDNN 2.5 does not run): the primitive is built per call. */
    private static INDArray reorder(INDArray from, memory.format_tag fromTag, memory.format_tag toTag,
                                    LayerWorkspaceMgr workspaceMgr, ArrayType type) {
        long[] shape = from.shape();
        if (from.rank() != 4 || !fits(shape[1]) || !HostFloats.isDenseC(from)) {
            throw new IllegalArgumentException("channel-blocked arrays are dense float N×C×H×W with a multiple of "
                    + BLOCK + " channels, got " + from.shapeInfoToString());
        }
        INDArray to = workspaceMgr.createUninitialized(type, DataType.FLOAT, shape, 'c');
        var engine = DnnlConvolution.engine();
        try (memory a = new memory(new memory.desc(shape, memory.data_type.f32, fromTag), engine,
                from.data().addressPointer());
             memory b = new memory(new memory.desc(shape, memory.data_type.f32, toTag), engine,
                     to.data().addressPointer());
             reorder r = new reorder(a, b)) {
            var stream = DnnlConvolution.stream();
            r.execute(stream, a, b);
            stream._wait();
        }
        return to;
    }

    /**
     * Marks which of the graph's convolution inputs and outputs, batch norms, poolings and global-pooling
     * inputs are blocked. Arrays joined by
     * element-wise operations (and a batch norm's input and output) must share a layout; such a group is
     * blocked when every array in it comes from a jBIA convolution, batch norm, pooling or element-wise
     * operation, goes only to those or to a global pooling, has a multiple of {@value #BLOCK} channels and is
     * neither the network's input nor its output. In ResNet-18 that is every array from the stem
     * convolution's output to the global average pool's input. A blocked group always holds the convolution
     * that produces it: following producers back through element-wise operations ends at a vertex of the
     * group that is not one, and only a convolution may be that. A convolution blocked in and out also
     * keeps its kernels in {@link Layout#kernels} tiles when the blocked kernels run in this JVM.
     */
    static void plan(ComputationGraphConfiguration conf) {
        Map<String, GraphVertex> vertices = conf.getVertices();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Map<String, List<String>> consumers = new HashMap<>();
        inputs.forEach((v, ins) -> ins.forEach(in -> consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(v)));
        Map<String, String> group = new HashMap<>();
        for (String v : vertices.keySet()) {
            if (layoutPreserving(vertices.get(v))) {
                for (String in : inputs.get(v)) {
                    union(group, v, in);
                }
            }
        }
        Map<String, Boolean> blocked = new HashMap<>();
        for (String v : vertices.keySet()) {
            String root = find(group, v);
            GraphVertex vertex = vertices.get(v);
            boolean ok = blocked.getOrDefault(root, true) && !conf.getNetworkOutputs().contains(v)
                    && (vertex instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof KerasConv c
                            ? blockable(lv) && fits(c.getNOut())
                            : layoutPreserving(vertex));
            for (String c : consumers.getOrDefault(v, List.of())) {
                GraphVertex consumer = vertices.get(c);
                ok &= layoutPreserving(consumer) || consumer instanceof LayerVertex lv && lv.getPreProcessor() == null
                        && (lv.getLayerConf().getLayer() instanceof KerasConv && blockable(lv)
                        || lv.getLayerConf().getLayer() instanceof KerasGlobalPool);
            }
            blocked.put(root, ok);
        }
        for (String v : conf.getNetworkInputs()) {
            blocked.put(find(group, v), false);
        }
        for (String v : vertices.keySet()) {
            if (!(vertices.get(v) instanceof LayerVertex lv)) {
                continue;
            }
            boolean out = blocked.get(find(group, v));
            if (lv.getLayerConf().getLayer() instanceof KerasConv c) {
                String in = find(group, inputs.get(v).get(0));
                c.setBlockedInput(fits(c.getNIn()) && blocked.getOrDefault(in, false));
                c.setBlockedOutput(out);
                // kept in the layout its blocked forward pass reads: no reorder of the kernels or their
                // gradient each step; decided where the blocked kernels run, and saved with the model
                c.setKernelBlock(c.isBlockedInput() && out && usable() ? active().block : 0);
            } else if (lv.getLayerConf().getLayer() instanceof KerasBatchNorm b) {
                b.setBlocked(out);
            } else if (lv.getLayerConf().getLayer() instanceof KerasPool p) {
                p.setBlocked(out);
            } else if (lv.getLayerConf().getLayer() instanceof KerasGlobalPool p) {
                String in = find(group, inputs.get(v).get(0));
                p.setBlockedInput(blocked.getOrDefault(in, false));
            }
        }
    }

    /** A convolution that can read and write blocked arrays (a preprocessor would read its input's shape). */
    private static boolean blockable(LayerVertex v) {
        return v.getPreProcessor() == null && ((KerasConv) v.getLayerConf().getLayer()).getCnn2dDataFormat()
                == CNN2DFormat.NCHW;
    }

    /** Vertices whose output has their inputs' layout: element-wise operations, and jBIA's batch norm. */
    private static boolean layoutPreserving(GraphVertex v) {
        if (v instanceof ElementWiseVertex || v instanceof ScaleVertex) {
            return true;
        }
        if (!(v instanceof LayerVertex lv) || lv.getPreProcessor() != null) {
            return false;
        }
        var layer = lv.getLayerConf().getLayer();
        return layer instanceof ActivationLayer a && !(a.getActivationFn() instanceof ActivationSoftmax)
                || layer instanceof KerasBatchNorm b && b.getCnn2DFormat() == CNN2DFormat.NCHW && !b.isLockGammaBeta()
                || layer instanceof KerasPool p && p.onOneDnn();
    }

    private static String find(Map<String, String> parent, String v) {
        String p = parent.getOrDefault(v, v);
        if (p.equals(v)) {
            return v;
        }
        String root = find(parent, p);
        parent.put(v, root);
        return root;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String ra = find(parent, a);
        String rb = find(parent, b);
        if (!ra.equals(rb)) {
            parent.put(ra, rb);
        }
    }
}
