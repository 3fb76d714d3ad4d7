package org.jbia.train.backend.dl4j;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;

import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_backward;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max or average pooling (padding excluded from the average) of channel-blocked N×C×H×W float arrays
 * ({@link ChannelBlocks}) by oneDNN 2.5, with TensorFlow's 'same' padding: output ceil(in / stride), half
 * the padding before and the odd pixel after. Training-mode max pooling keeps where each maximum was (oneDNN's
 * workspace) for the backward pass of the same input.
 *
 * <p>A plan {@link #forPlainShape for plain arrays} pools blocked copies: oneDNN has no optimised kernel for
 * plain N×C×H×W (its "simple_nchw" one, which libnd4j's pooling also takes, spent 76 of AlexNet's 975 ms of
 * inference on 256 images in its first max pool alone, on an AVX2 machine), and two reorders cost far less.
 */
final class DnnlPooling extends DnnlPlan {
    private final long[] outputDims;
    private final primitive forward;
    private final primitive backward;
    private final Side source;
    private final Side output;
    private final Side outputGrad;
    private final Side inputGrad;
    private final memory workspace;

    /**
     * One of the primitives' arrays: oneDNN's blocked view of it ({@code inner}) and, for a plan of plain arrays,
     * the user's plain array and the reorder between the two (in the direction the data flows); else null.
     */
    private record Side(memory inner, memory user, primitive reorder) {
        /** The primitive's view of {@code a}: {@code a} itself, or this thread's scratch copy {@code role}. */
        memory bind(INDArray a, int role) {
            if (user == null) {
                inner.set_data_handle(a.data().addressPointer());
            } else {
                user.set_data_handle(a.data().addressPointer());
                inner.set_data_handle(DnnlConvolution.scratch(role, inner.get_desc().get_size()));
            }
            return inner;
        }

        void copy(memory from, memory to) {
            if (reorder != null) {
                arguments().with(DNNL_ARG_FROM, from).with(DNNL_ARG_TO, to).run(reorder);
            }
        }
    }

    private DnnlPooling(long[] sourceDims, long[] outputDims, pooling_forward.primitive_desc fpd,
                        pooling_backward.primitive_desc bpd, boolean plainArrays) {
        this.outputDims = outputDims;
        var cpu = DnnlConvolution.engine();
        own(fpd);
        own(bpd);
        forward = own(new pooling_forward(fpd));
        backward = own(new pooling_backward(bpd));
        source = side(fpd.src_desc(), sourceDims, true, plainArrays);
        output = side(fpd.dst_desc(), outputDims, false, plainArrays);
        outputGrad = side(bpd.diff_dst_desc(), outputDims, true, plainArrays);
        inputGrad = side(bpd.diff_src_desc(), sourceDims, false, plainArrays);
        var ws = fpd.workspace_desc();
        workspace = ws.get_size() > 0 ? own(new memory(ws, cpu)) : null;
    }

    /** A {@link Side} of {@code dims} in oneDNN's {@code blocked}; read by a primitive if {@code in}. */
    private Side side(memory.desc blocked, long[] dims, boolean in, boolean plainArrays) {
        var cpu = DnnlConvolution.engine();
        memory inner = own(new memory(blocked, cpu, null));
        if (!plainArrays) {
            return new Side(inner, null, null);
        }
        memory user = own(new memory(plainDesc(dims), cpu, null));
        return new Side(inner, user, own(in ? new reorder(user, inner) : new reorder(inner, user)));
    }

    private static memory.desc plainDesc(long[] dims) {
        return new memory.desc(dims, memory.data_type.f32, memory.format_tag.nchw);
    }

    /**
     * Pooling of blocked arrays of {@code shape} over {@code kernel}×{@code kernel} windows at {@code stride};
     * null when oneDNN 2.5 is unavailable or offers only its reference implementation.
     */
    static DnnlPooling forShape(long[] shape, boolean max, int kernel, int stride) {
        return forShape(shape, max, kernel, stride, false);
    }

    /**
     * As {@link #forShape}, for plain N×C×H×W arrays in and out (gradients too), through blocked copies; null also
     * where the channels do not fill blocks.
     */
    static DnnlPooling forPlainShape(long[] shape, boolean max, int kernel, int stride) {
        if (shape.length != 4 || !ChannelBlocks.fits(shape[1])) {
            return null;
        }
        return forShape(shape, max, kernel, stride, true);
    }

    private static DnnlPooling forShape(long[] shape, boolean max, int kernel, int stride, boolean plainArrays) {
        ChannelBlocks.Layout layout = ChannelBlocks.layout();
        if (!DnnlConvolution.enabled() || layout == null) {
            return null;
        }
        if (shape.length != 4 || !ChannelBlocks.fits(shape[1])) {
            throw new IllegalArgumentException("blocked pooling takes N×C×H×W with a multiple of "
                    + ChannelBlocks.BLOCK + " channels, got " + java.util.Arrays.toString(shape));
        }
        long outHeight = (shape[2] + stride - 1) / stride;
        long outWidth = (shape[3] + stride - 1) / stride;
        long padHeight = Math.max((outHeight - 1) * stride + kernel - shape[2], 0);
        long padWidth = Math.max((outWidth - 1) * stride + kernel - shape[3], 0);
        long[] padBefore = {padHeight / 2, padWidth / 2};
        long[] padAfter = {padHeight - padBefore[0], padWidth - padBefore[1]};
        long[] outputDims = {shape[0], shape[1], outHeight, outWidth};
        var src = new memory.desc(shape, memory.data_type.f32, layout.activations);
        var dst = new memory.desc(outputDims, memory.data_type.f32, layout.activations);
        var kind = max ? algorithm.pooling_max : algorithm.pooling_avg_exclude_padding;
        long[] strides = {stride, stride};
        long[] window = {kernel, kernel};
        var fd = new pooling_forward.desc(prop_kind.forward_training, kind, src, dst, strides, window, padBefore,
                padAfter);
        pooling_forward.primitive_desc fpd = DnnlConvolution.tryDescribe(
                () -> new pooling_forward.primitive_desc(fd, DnnlConvolution.engine()));
        if (fpd == null) {
            return null;
        }
        var bd = new pooling_backward.desc(kind, src, dst, strides, window, padBefore, padAfter);
        pooling_backward.primitive_desc bpd = DnnlConvolution.tryDescribe(
                () -> new pooling_backward.primitive_desc(bd, DnnlConvolution.engine(), fpd));
        if (bpd == null) {
            fpd.close();
            return null;
        }
        return new DnnlPooling(shape, outputDims, fpd, bpd, plainArrays);
    }

    long[] outputDims() {
        return outputDims.clone();
    }

    /** y = pool(x); a max pooling's workspace then belongs to {@code x} until the next call. */
    void forward(INDArray x, INDArray y) {
        pass(forward, DNNL_ARG_SRC, source, x, DNNL_ARG_DST, output, y);
    }

    /** The input gradient {@code dx} for the output gradient {@code dy} of the last {@link #forward}. */
    void backward(INDArray dy, INDArray dx) {
        pass(backward, DNNL_ARG_DIFF_DST, outputGrad, dy, DNNL_ARG_DIFF_SRC, inputGrad, dx);
    }

    /** Runs {@code p} from {@code a} (argument {@code inArg}) into {@code b}, through copies where plain. */
    private void pass(primitive p, int inArg, Side in, INDArray a, int outArg, Side out, INDArray b) {
        memory from = in.bind(a, DnnlConvolution.SCRATCH_INPUT);
        memory to = out.bind(b, DnnlConvolution.SCRATCH_OUTPUT);
        in.copy(in.user, from);
        arguments().with(inArg, from).with(outArg, to).with(DNNL_ARG_WORKSPACE, workspace).run(p);
        out.copy(to, out.user);
    }
}
