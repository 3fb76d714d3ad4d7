package org.jbia.train.backend.dl4j;

import java.util.Arrays;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's dense layer with its three products arranged for oneDNN. ND4J runs a {@code matmul} on
 * oneDNN only when the result is C-ordered; DL4J's layer writes its output, input gradient and weight
 * gradient in F order, so all three fell back to OpenBLAS. Here every result is C-ordered (the weight
 * gradient is written as its transpose, which is C-ordered over the same memory), and with a cache
 * mode other than NONE the forward output is kept for the backward pass instead of being recomputed.
 * Layer norm and weight noise fall back to DL4J's implementation.
 */
final class KerasDenseLayer extends DenseLayer {
    private static final String W = DefaultParamInitializer.WEIGHT_KEY;
    private static final String B = DefaultParamInitializer.BIAS_KEY;

    /** The pre-activation of the last training forward pass, in DL4J's feed-forward cache. */
    private INDArray cachedPreOutput;

    KerasDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean handles() {
        return !hasLayerNorm() && layerConf().getWeightNoise() == null;
    }

    @Override
    protected Pair<INDArray, INDArray> preOutputWithPreNorm(boolean training, boolean forBackprop,
                                                          LayerWorkspaceMgr workspaceMgr) {
        if (!handles()) {
            return super.preOutputWithPreNorm(training, forBackprop, workspaceMgr);
        }
        assertInputSet(forBackprop);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray w = getParam(W);
        INDArray x = input.castTo(dataType);
        if (x.rank() != 2 || x.columns() != w.rows()) {
            throw new DL4JInvalidInputException("Input of shape " + Arrays.toString(x.shape())
                    + " does not match the layer's " + w.rows() + " inputs " + layerId());
        }
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, w.dataType(),
                new long[] {x.size(0), w.size(1)}, 'c');
        matmul(x, w, z, false, false);
        if (hasBias()) {
            z.addiRowVector(getParam(B));
        }
        if (maskArray != null) {
            applyMask(z);
        }
        if (training && !forBackprop && cacheMode != CacheMode.NONE && workspaceMgr.hasConfiguration(ArrayType.FF_CACHE)
                && workspaceMgr.isWorkspaceOpen(ArrayType.FF_CACHE)) {
            // the activation overwrites z in place; keep a copy for the backward pass
            try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.FF_CACHE)) {
                cachedPreOutput = z.dup('c');
            }
        }
        return new Pair<>(z, z);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!handles()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        INDArray z = cachedPreOutput != null ? cachedPreOutput
                : preOutputWithPreNorm(true, true, workspaceMgr).getFirst();
        cachedPreOutput = null;
        INDArray delta = layerConf().getActivationFn().backprop(z, epsilon).getFirst();
        if (maskArray != null) {
            applyMask(delta);
        }
        Gradient gradient = new DefaultGradient();
        if (hasBias()) {
            INDArray biasGrad = gradientViews.get(B);
            delta.sum(biasGrad, 0);
            gradient.gradientForVariable().put(B, biasGrad);
        }
        INDArray w = getParam(W);
        INDArray epsilonNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                new long[] {delta.size(0), w.size(0)}, 'c');
        matmul(delta, w, epsilonNext, false, true);
        // the weight gradient view is F-ordered [nIn, nOut]: its transpose is C-ordered [nOut, nIn]
        INDArray weightGrad = gradientViews.get(W);
        matmul(delta, input.castTo(weightGrad.dataType()), weightGrad.transpose(), true, false);
        gradient.gradientForVariable().put(W, weightGrad);
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(epsilonNext));
    }

    @Override
    public void clear() {
        super.clear();
        cachedPreOutput = null;
    }

    /** out = op(a)·op(b) by libnd4j's matmul, which takes its oneDNN path for C-ordered results. */
    static void matmul(INDArray a, INDArray b, INDArray out, boolean transposeA, boolean transposeB) {
        Nd4j.exec(DynamicCustomOp.builder("matmul").addInputs(a, b).addOutputs(out)
                .addIntegerArguments(transposeA ? 1 : 0, transposeB ? 1 : 0, 0).build());
    }
}
