package org.jbia.train.backend.dl4j;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.LocalResponseNormalization;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.jbia.train.backend.dl4j.HostFloats.Images;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Local response normalisation through {@link LrnKernel}, forward and backward. DL4J's CPU layer has
 * no helper here and builds the channel window from many small array operations (about 14% of
 * pyBIA's AlexNet step). Inputs other than NCHW float fall back to DL4J's implementation.
 */
final class KerasLrnLayer extends LocalResponseNormalization {

    KerasLrnLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean handles(INDArray x) {
        return x.rank() == 4 && x.dataType() == DataType.FLOAT && layerConf().getDataFormat() == CNN2DFormat.NCHW;
    }

    private LrnKernel kernel() {
        var c = layerConf();
        return new LrnKernel((int) ((c.getN() - 1) / 2), c.getK(), c.getAlpha(), c.getBeta());
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (!handles(input)) {
            return super.activate(training, workspaceMgr);
        }
        long[] s = input.shape();
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, s, 'c');
        kernel().forward(Images.of(HostFloats.dense(input)), Images.of(out), (int) s[1], (int) (s[2] * s[3]));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (!handles(input) || !handles(epsilon)) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        long[] s = input.shape();
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, s, 'c');
        kernel().backward(Images.of(HostFloats.dense(input)), Images.of(HostFloats.dense(epsilon)), Images.of(out),
                (int) s[1], (int) (s[2] * s[3]));
        return new Pair<>(new DefaultGradient(), out);
    }
}
