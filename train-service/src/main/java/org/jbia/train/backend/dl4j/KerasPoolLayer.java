package org.jbia.train.backend.dl4j;

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
 * DL4J's pooling layer; channel-blocked arrays ({@link ChannelBlocks}) are pooled by oneDNN 2.5
 * ({@link DnnlPooling}), so that ResNet's stem and first stage keep the blocked layout across their max pool.
 * Plain arrays, and shapes oneDNN 2.5 has no optimised kernel for, take DL4J's implementation.
 */
final class KerasPoolLayer extends SubsamplingLayer {
    /** oneDNN 2.5's poolings of blocked arrays by input shape; a null value: none for the shape. */
    private final ShapePlans<DnnlPooling> plans = new ShapePlans<>();
    /** The input of the last blocked forward pass: a max pooling's workspace holds its maxima. */
    private INDArray pooled;

    KerasPoolLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean blocked() {
        return ((KerasPool) layerConf()).isBlocked() && ChannelBlocks.usable();
    }

    private DnnlPooling pooling(long[] shape) {
        var c = layerConf();
        return plans.get(shape, () -> DnnlPooling.forShape(shape, c.getPoolingType() == PoolingType.MAX,
                c.getKernelSize()[0], c.getStride()[0]));
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!blocked()) {
            return super.activate(training, workspaceMgr);
        }
        assertInputSet(false);
        DnnlPooling p = pooling(input.shape());
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
        if (!blocked()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        DnnlPooling p = pooling(input.shape());
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
