package org.jbia.train.backend.dl4j;

import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's pooling layer, pooled by oneDNN 2.5 ({@link DnnlPooling}) where it can: channel-blocked arrays
 * ({@link ChannelBlocks}), so that ResNet's stem and first stage keep the blocked layout across their max pool,
 * and plain ones whose channels fill blocks (AlexNet's, between its convolutions and LRNs) through blocked
 * copies. Other arrays, and shapes oneDNN 2.5 has no optimised kernel for, take DL4J's implementation.
 */
final class KerasPoolLayer extends SubsamplingLayer {
    /** oneDNN 2.5's poolings by input shape and layout; a null value: none for the shape. */
    private final ShapePlans<DnnlPooling> plans = new ShapePlans<>();
    /** The input of the last oneDNN forward pass: a max pooling's workspace holds its maxima. */
    private INDArray pooled;

    KerasPoolLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean blocked() {
        return ((KerasPool) layerConf()).isBlocked() && ChannelBlocks.usable();
    }

    /** The oneDNN 2.5 plan for the current input, blocked or plain as the plan says; null: DL4J's path. */
    private DnnlPooling pooling() {
        var c = (KerasPool) layerConf();
        boolean blocked = blocked();
        if (!blocked && !(c.onOneDnn() && input.rank() == 4 && input.dataType() == DataType.FLOAT
                && maskArray == null && ChannelBlocks.fits(input.size(1)) && HostFloats.isDenseC(input))) {
            return null;
        }
        long[] shape = input.shape();
        List<Long> key = List.of(shape[0], shape[1], shape[2], shape[3], blocked ? 1L : 0L);
        boolean max = c.getPoolingType() == PoolingType.MAX;
        return plans.get(key, () -> blocked ? DnnlPooling.forShape(shape, max, c.getKernelSize()[0], c.getStride()[0])
                : DnnlPooling.forPlainShape(shape, max, c.getKernelSize()[0], c.getStride()[0]));
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        DnnlPooling p = pooling();
        if (p == null && !blocked()) {
            return super.activate(training, workspaceMgr);
        }
        if (p == null) {
            INDArray y = ChannelBlocks.withPlainInput(input, in -> input = in, workspaceMgr,
                    ArrayType.FF_WORKING_MEM, () -> super.activate(training, workspaceMgr));
            return ChannelBlocks.toBlocked(y, workspaceMgr, ArrayType.ACTIVATIONS);
        }
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, p.outputDims(), 'c');
        p.forward(input, y);
        pooled = input;
        return y;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        DnnlPooling p = pooling();
        if (p == null && !blocked()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        if (p == null) {
            INDArray plainEpsilon = ChannelBlocks.toPlain(HostFloats.dense(epsilon), workspaceMgr,
                    ArrayType.BP_WORKING_MEM);
            Pair<Gradient, INDArray> g = ChannelBlocks.withPlainInput(input, in -> input = in, workspaceMgr,
                    ArrayType.BP_WORKING_MEM, () -> super.backpropGradient(plainEpsilon, workspaceMgr));
            return new Pair<>(g.getFirst(),
                    ChannelBlocks.toBlocked(g.getSecond(), workspaceMgr, ArrayType.ACTIVATION_GRAD));
        }
        if (pooled != input) {
            // the maxima's positions come from a forward pass over this very input
            p.forward(input, workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                    p.outputDims(), 'c'));
            pooled = input;
        }
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        p.backward(HostFloats.dense(epsilon), dx);
        return new Pair<>(new DefaultGradient(), dx);
    }

    @Override
    public void clear() {
        super.clear();
        pooled = null;
    }
}
