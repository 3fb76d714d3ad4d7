package org.jbia.train.backend.dl4j;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.pooling.GlobalPoolingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's global pooling, reading a channel-blocked input ({@link ChannelBlocks}) through a plain copy:
 * ResNet-18's is 32×512×3×3, a copy of about 0.1 ms, where a plain input would cost its whole last stage's
 * residual stream its blocked layout.
 */
final class KerasGlobalPoolLayer extends GlobalPoolingLayer {

    KerasGlobalPoolLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean blockedInput() {
        return ((KerasGlobalPool) layerConf()).isBlockedInput() && ChannelBlocks.usable();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!blockedInput()) {
            return super.activate(training, workspaceMgr);
        }
        return ChannelBlocks.withPlainInput(input, in -> input = in, workspaceMgr, ArrayType.FF_WORKING_MEM,
                () -> super.activate(training, workspaceMgr));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!blockedInput()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        Pair<Gradient, INDArray> g = ChannelBlocks.withPlainInput(input, in -> input = in, workspaceMgr,
                ArrayType.BP_WORKING_MEM, () -> super.backpropGradient(epsilon, workspaceMgr));
        return new Pair<>(g.getFirst(),
                ChannelBlocks.toBlocked(g.getSecond(), workspaceMgr, ArrayType.ACTIVATION_GRAD));
    }
}
