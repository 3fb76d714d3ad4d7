package org.jbia.train.backend.dl4j;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_desc_base;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One convolution geometry run by oneDNN 2.5 through JavaCPP's dnnl preset: the direct algorithm on
 * oneDNN's channel-blocked layouts ({@link ChannelBlocks.Layout}), its primitives built once. DL4J's own
 * oneDNN 2.3 calls (libnd4j) ask for {@code convolution_auto} on layouts of oneDNN's choosing and build
 * every primitive anew on each call; oneDNN 2.3 then picks its brgemm kernels on NHWC copies forward
 * (12.8 ms for ResNet-18's 512→512 3×3 convolution on 3×3 maps, batch 32, two threads; 8.2 ms here) and
 * Winograd backward (17.6 ms on its 5×5 maps; 9.3 ms here). PyTorch's CPU convolutions run these same
 * direct blocked kernels.
 *
 * <p>Arrays are N×C×H×W, kernels O×I×kH×kW, all dense C order; blocked copies live in per-thread
 * buffers shared by every layer. A pass whose oneDNN implementation would be the reference one (for
 * instance the input gradient of a three-channel convolution) is reported unavailable, and the caller
 * takes another way.
 */
final class DnnlConvolution extends DnnlPlan {
    /** System property: "false" leaves convolutions to DL4J and libnd4j's oneDNN 2.3 (read at each pass). */
    static final String ENABLED_PROPERTY = "jbia.dl4j.onednn25";
    private static final Logger LOG = Logger.getLogger(DnnlConvolution.class.getName());
    private static final memory.data_type F32 = memory.data_type.f32;

    /**
     * Shapes and padding of one convolution: the padding before the first row and column is given, the
     * padding after is whatever the output size reaches (negative when the stride leaves pixels unread).
     */
    record Geometry(long images, long channels, long height, long width, long filters, long outHeight,
                    long outWidth, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padTop,
                    int padLeft, boolean bias) {

        /** TensorFlow's 'same' padding: output ceil(in / stride), half the padding before, the odd pixel after. */
        static Geometry same(long images, long channels, long height, long width, long filters, int kernelHeight,
                             int kernelWidth, int strideHeight, int strideWidth, boolean bias) {
            long outHeight = (height + strideHeight - 1) / strideHeight;
            long outWidth = (width + strideWidth - 1) / strideWidth;
            int padTop = (int) (Math.max((outHeight - 1) * strideHeight + kernelHeight - height, 0) / 2);
            int padLeft = (int) (Math.max((outWidth - 1) * strideWidth + kernelWidth - width, 0) / 2);
            return new Geometry(images, channels, height, width, filters, outHeight, outWidth, kernelHeight,
                    kernelWidth, strideHeight, strideWidth, padTop, padLeft, bias);
        }

        long[] padAfter() {
            return new long[] {(outHeight() - 1) * strideHeight + kernelHeight - height - padTop,
                    (outWidth() - 1) * strideWidth + kernelWidth - width - padLeft};
        }

        long[] strides() {
            return new long[] {strideHeight, strideWidth};
        }

        long[] padBefore() {
            return new long[] {padTop, padLeft};
        }

        long[] sourceDims() {
            return new long[] {images, channels, height, width};
        }

        long[] kernelDims() {
            return new long[] {filters, channels, kernelHeight, kernelWidth};
        }

        long[] outputDims() {
            return new long[] {images, filters, outHeight(), outWidth()};
        }
    }

    private static volatile Boolean available;
    private static engine cpu;

    private final Geometry geometry;
    private final convolution_forward.primitive_desc forwardDesc;
    private final primitive forward;
    /** The blocked layout the primitives work in where the channels fill its blocks; null: oneDNN's choice. */
    private final ChannelBlocks.Layout layout;
    private final Operand source;
    private final Operand kernels;
    private final Operand output;
    private final memory bias;
    private Backward backward;

    private DnnlConvolution(Geometry g, convolution_forward.primitive_desc forwardDesc, ChannelBlocks.Layout layout,
                            boolean blockedSource, boolean blockedOutput, boolean blockedKernels) {
        this.geometry = g;
        this.layout = layout;
        this.forwardDesc = own(forwardDesc);
        this.forward = own(new convolution_forward(forwardDesc));
        this.source = new Operand(user(g.sourceDims(), blockedSource ? layout.activations : memory.format_tag.nchw),
                forwardDesc.src_desc(), Arena.SOURCE);
        this.kernels = new Operand(user(g.kernelDims(), blockedKernels ? layout.kernels : memory.format_tag.oihw),
                forwardDesc.weights_desc(), Arena.KERNELS);
        this.output = new Operand(user(g.outputDims(), blockedOutput ? layout.activations : memory.format_tag.nchw),
                forwardDesc.dst_desc(), Arena.OUTPUT);
        this.bias = g.bias() ? own(new memory(user(new long[] {g.filters()}, memory.format_tag.x), cpu, null)) : null;
    }

    /**
     * The forward pass for {@code g}, or null when this machine cannot run it: no oneDNN natives for this
     * platform, or only oneDNN's reference implementation for this geometry.
     */
    static DnnlConvolution forGeometry(Geometry g) {
        return forGeometry(g, false, false, false);
    }

    /**
     * As {@link #forGeometry(Geometry)}, with the input (and its gradient) and the output (and its gradient)
     * in this processor's {@link ChannelBlocks#layout()} where {@code blockedSource} and {@code blockedOutput}
     * say so, and the kernels (and their gradient) in its kernel tiles where {@code blockedKernels} does.
     */
    static DnnlConvolution forGeometry(Geometry g, boolean blockedSource, boolean blockedOutput,
                                       boolean blockedKernels) {
        ChannelBlocks.Layout layout = ChannelBlocks.layout(); // null also where oneDNN 2.5 is off
        if (layout == null && (blockedSource || blockedOutput || blockedKernels)) {
            return null;
        }
        return forGeometry(g, layout, blockedSource, blockedOutput, blockedKernels);
    }

    /**
     * As {@link #forGeometry(Geometry, boolean, boolean, boolean)} in {@code layout}, which also sets the
     * layout the primitive works in where the channels fill its blocks (null: oneDNN's choice).
     */
    static DnnlConvolution forGeometry(Geometry g, ChannelBlocks.Layout layout, boolean blockedSource,
                                       boolean blockedOutput, boolean blockedKernels) {
        if (!enabled()) {
            return null;
        }
        if (blockedSource && !ChannelBlocks.fits(g.channels()) || blockedOutput && !ChannelBlocks.fits(g.filters())
                || blockedKernels && !(ChannelBlocks.fits(g.channels()) && ChannelBlocks.fits(g.filters()))) {
            throw new IllegalArgumentException("channel-blocked layout needs multiples of " + ChannelBlocks.BLOCK
                    + " channels, got " + g.channels() + " in and " + g.filters() + " out");
        }
        var desc = new convolution_forward.desc(prop_kind.forward_training, algorithm.convolution_direct,
                internal(g.sourceDims(), g.channels(), layout),
                new memory.desc(g.kernelDims(), F32, memory.format_tag.any),
                g.bias() ? user(new long[] {g.filters()}, memory.format_tag.x) : new memory.desc(),
                internal(g.outputDims(), g.filters(), layout), g.strides(), g.padBefore(), g.padAfter());
        convolution_forward.primitive_desc pd = tryDescribe(() -> new convolution_forward.primitive_desc(desc, cpu));
        if (pd == null) {
            return null;
        }
        return new DnnlConvolution(g, pd, layout, blockedSource, blockedOutput, blockedKernels);
    }

    Geometry geometry() {
        return geometry;
    }

    /** z = conv(x, w) + b; {@code bias} is ignored without a bias in the geometry. */
    void forward(INDArray x, INDArray w, INDArray b, INDArray z) {
        Arena arena = Arena.current();
        IntMemoryMap args = new IntMemoryMap();
        try {
            args.put(DNNL_ARG_SRC, source.in(address(x), arena));
            args.put(DNNL_ARG_WEIGHTS, kernels.in(address(w), arena));
            if (bias != null) {
                bias.set_data_handle(address(b));
                args.put(DNNL_ARG_BIAS, bias);
            }
            args.put(DNNL_ARG_DST, output.bindOut(address(z), arena));
            forward.execute(arena.stream, args);
            output.out(arena);
            arena.stream._wait();
        } finally {
            args.close();
        }
    }

    /**
     * Whether {@link #backward} can run: with the input gradient ({@code inputGradient}) or without it,
     * both on oneDNN's optimised kernels.
     */
    boolean backwardAvailable(boolean inputGradient) {
        Backward b = backward();
        return b != null && (!inputGradient || b.data != null);
    }

    /**
     * Weight and bias gradients {@code dw}, {@code db} (null without a bias) from the input {@code x} and
     * the output gradient {@code dz}; the input gradient into {@code dx} unless it is null.
     */
    void backward(INDArray x, INDArray w, INDArray dz, INDArray dx, INDArray dw, INDArray db) {
        Backward b = backward();
        Arena arena = Arena.current();
        IntMemoryMap args = new IntMemoryMap();
        try {
            args.put(DNNL_ARG_SRC, b.weightsSource.in(address(x), arena));
            memory outputGrad = b.weightsOutputGrad.in(address(dz), arena);
            args.put(DNNL_ARG_DIFF_DST, outputGrad);
            args.put(DNNL_ARG_DIFF_WEIGHTS, b.kernelGrad.bindOut(address(dw), arena));
            if (bias != null) {
                b.biasGrad.set_data_handle(address(db));
                args.put(DNNL_ARG_DIFF_BIAS, b.biasGrad);
            }
            b.weights.execute(arena.stream, args);
            b.kernelGrad.out(arena);
            if (dx != null) {
                args.close();
                args = new IntMemoryMap();
                // the weights pass's copy of the output gradient serves again when the layouts agree
                args.put(DNNL_ARG_DIFF_DST, b.dataOutputGrad == b.weightsOutputGrad ? outputGrad
                        : b.dataOutputGrad.in(address(dz), arena));
                args.put(DNNL_ARG_WEIGHTS, b.dataKernels.in(address(w), arena));
                args.put(DNNL_ARG_DIFF_SRC, b.inputGrad.bindOut(address(dx), arena));
                b.data.execute(arena.stream, args);
                b.inputGrad.out(arena);
            }
            arena.stream._wait();
        } finally {
            args.close();
        }
    }

    /** The backward primitives, built on first use; null when either would be oneDNN's reference one. */
    private Backward backward() {
        if (backward == null) {
            backward = Backward.of(this);
        }
        return backward.weights == null ? null : backward;
    }

    /** The backward primitives; {@code weights} null when unavailable, {@code data} null when unavailable. */
    private static final class Backward {
        primitive weights;
        primitive data;
        Operand weightsSource;
        Operand weightsOutputGrad;
        Operand kernelGrad;
        memory biasGrad;
        Operand dataOutputGrad;
        Operand dataKernels;
        Operand inputGrad;

        static Backward of(DnnlConvolution c) {
            Geometry g = c.geometry;
            Backward b = new Backward();
            var src = internal(g.sourceDims(), g.channels(), c.layout);
            var out = internal(g.outputDims(), g.filters(), c.layout);
            var anyKernels = new memory.desc(g.kernelDims(), F32, memory.format_tag.any);
            var biasDesc = g.bias() ? user(new long[] {g.filters()}, memory.format_tag.x) : new memory.desc();
            var wd = new convolution_backward_weights.desc(algorithm.convolution_direct, src, anyKernels, biasDesc,
                    out, g.strides(), g.padBefore(), g.padAfter());
            convolution_backward_weights.primitive_desc wpd =
                    tryDescribe(() -> new convolution_backward_weights.primitive_desc(wd, cpu, c.forwardDesc));
            if (wpd == null) {
                return b;
            }
            c.own(wpd);
            b.weights = c.own(new convolution_backward_weights(wpd));
            b.weightsSource = c.new Operand(c.source.userDesc, wpd.src_desc(), Arena.SOURCE);
            b.weightsOutputGrad = c.new Operand(c.output.userDesc, wpd.diff_dst_desc(), Arena.OUTPUT);
            b.kernelGrad = c.new Operand(c.kernels.userDesc, wpd.diff_weights_desc(), Arena.KERNELS);
            b.biasGrad = g.bias() ? c.own(new memory(biasDesc, cpu, null)) : null;

            var dd = new convolution_backward_data.desc(algorithm.convolution_direct, src, anyKernels, out, g.strides(),
                    g.padBefore(), g.padAfter());
            convolution_backward_data.primitive_desc dpd =
                    tryDescribe(() -> new convolution_backward_data.primitive_desc(dd, cpu, c.forwardDesc));
            if (dpd != null) {
                c.own(dpd);
                b.data = c.own(new convolution_backward_data(dpd));
                // the output gradient may share the weights pass's blocked copy when the layouts agree
                b.dataOutputGrad = dpd.diff_dst_desc().equals(wpd.diff_dst_desc()) ? b.weightsOutputGrad
                        : c.new Operand(c.output.userDesc, dpd.diff_dst_desc(), Arena.OUTPUT_2);
                b.dataKernels = c.new Operand(c.kernels.userDesc, dpd.weights_desc(), Arena.KERNELS);
                b.inputGrad = c.new Operand(c.source.userDesc, dpd.diff_src_desc(), Arena.SOURCE_2);
            }
            return b;
        }
    }

    /**
     * A user array as a primitive sees it: the user's memory itself when the layouts agree, else a blocked
     * copy in a per-thread buffer, filled from (or emptied into) the user's memory by a cached reorder.
     */
    private final class Operand {
        final memory.desc userDesc;
        final memory user;
        final memory inner;
        final reorder toInner;
        final reorder toUser;
        final int role;
        final long bytes;

        Operand(memory.desc userDesc, memory.desc innerDesc, int role) {
            this.userDesc = userDesc;
            this.user = own(new memory(userDesc, cpu, null));
            this.role = role;
            if (innerDesc.equals(userDesc)) {
                inner = null;
                toInner = null;
                toUser = null;
                bytes = 0;
            } else {
                inner = own(new memory(innerDesc, cpu, null));
                toInner = own(new reorder(user, inner));
                toUser = own(new reorder(inner, user));
                bytes = innerDesc.get_size();
            }
        }

        /** The primitive's view of the user's input at {@code data}, copied into the blocked layout if needed. */
        memory in(Pointer data, Arena arena) {
            user.set_data_handle(data);
            if (inner == null) {
                return user;
            }
            inner.set_data_handle(arena.buffer(role, bytes));
            toInner.execute(arena.stream, user, inner);
            return inner;
        }

        /** The primitive's view of the user's output at {@code data}; {@link #out} copies it back. */
        memory bindOut(Pointer data, Arena arena) {
            user.set_data_handle(data);
            if (inner == null) {
                return user;
            }
            inner.set_data_handle(arena.buffer(role, bytes));
            return inner;
        }

        void out(Arena arena) {
            if (inner != null) {
                toUser.execute(arena.stream, inner, user);
            }
        }
    }

    /** Per-thread blocked copies, one growing buffer per role, shared by every layer; and the thread's stream. */
    private static final class Arena {
        static final int SOURCE = 0;
        static final int KERNELS = 1;
        static final int OUTPUT = 2;
        static final int OUTPUT_2 = 3;
        static final int SOURCE_2 = 4;
        private static final ThreadLocal<Arena> CURRENT = ThreadLocal.withInitial(Arena::new);

        final stream stream = new stream(cpu);
        private final memory[] buffers = new memory[5];
        private final long[] sizes = new long[5];

        static Arena current() {
            return CURRENT.get();
        }

        /** At least {@code bytes} of this role's buffer, 64-byte aligned (oneDNN allocates it). */
        Pointer buffer(int role, long bytes) {
            if (sizes[role] < bytes) {
                if (buffers[role] != null) {
                    buffers[role].close();
                }
                long floats = (bytes + 3) / 4;
                buffers[role] = new memory(new memory.desc(new long[] {floats}, F32, memory.format_tag.x), cpu);
                sizes[role] = floats * 4;
            }
            return buffers[role].get_data_handle();
        }
    }

    /** Whether oneDNN 2.5 convolutions are wanted ({@value #ENABLED_PROPERTY}) and its natives load here. */
    static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY)) && available();
    }

    /** Whether ND4J runs on the CPU and oneDNN 2.5's natives load here (jBIA's CPU builds ship them for Linux x86-64). */
    static boolean available() {
        Boolean a = available;
        if (a == null) {
            synchronized (DnnlConvolution.class) {
                a = available;
                if (a == null) {
                    a = load();
                    available = a;
                }
            }
        }
        return a;
    }

    /** oneDNN 2.5's CPU engine; only once {@link #available()} said true. */
    static engine engine() {
        return cpu;
    }

    /** This thread's oneDNN 2.5 stream. */
    static stream stream() {
        return Arena.current().stream;
    }

    /** {@link #scratch}'s buffer for a copy of an input (or of its gradient). */
    static final int SCRATCH_INPUT = Arena.SOURCE;
    /** {@link #scratch}'s buffer for a copy of an output (or of its gradient). */
    static final int SCRATCH_OUTPUT = Arena.OUTPUT;

    /**
     * This thread's scratch buffer {@code role} ({@link #SCRATCH_INPUT} or {@link #SCRATCH_OUTPUT}), at least
     * {@code bytes} long: for copies that live within one call, as every oneDNN 2.5 plan's share them.
     */
    static Pointer scratch(int role, long bytes) {
        return Arena.current().buffer(role, bytes);
    }

    private static boolean load() {
        String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
        if (!"CPU".equalsIgnoreCase(backend)) {
            return false;
        }
        try {
            cpu = new engine(engine.kind.cpu, 0);
            return true;
        } catch (LinkageError | RuntimeException e) {
            LOG.log(Level.INFO, "oneDNN 2.5 natives not loadable here, convolutions stay on libnd4j: {0}",
                    e.toString());
            return false;
        }
    }

    /**
     * The layout a primitive is asked to use: {@code layout}'s blocks when the channels fill them, else plain;
     * oneDNN's choice where no blocked layout runs (then only reorders to and from plain reach it).
     */
    private static memory.desc internal(long[] dims, long channels, ChannelBlocks.Layout layout) {
        return new memory.desc(dims, F32, layout == null ? memory.format_tag.any
                : ChannelBlocks.fits(channels) ? layout.activations : memory.format_tag.nchw);
    }

    private static memory.desc user(long[] dims, memory.format_tag tag) {
        return new memory.desc(dims, F32, tag);
    }

    /** The primitive description, or null when oneDNN has none or only its (slow) reference implementation. */
    static <T extends primitive_desc_base> T tryDescribe(java.util.function.Supplier<T> describe) {
        T pd;
        try {
            pd = describe.get();
        } catch (RuntimeException e) {
            return null;
        }
        String impl = pd.impl_info_str().getString();
        if (impl.startsWith("ref")) {
            pd.close();
            return null;
        }
        return pd;
    }


    private static Pointer address(INDArray a) {
        return a.data().addressPointer();
    }
}
