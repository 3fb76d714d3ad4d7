package org.jbia.train.backend.dl4j;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.jbia.train.backend.dl4j.HostFloats.Images;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalisation through {@link BatchNormKernel}, with DL4J's parameters and DL4J's semantics:
 * biased batch variance, running averages {@code r ← decay·r + (1 − decay)·batch} delivered as the
 * "gradient" DL4J's no-op updater subtracts (DL4J does not divide those by the batch size). DL4J's
 * layer costs three to ten times PyTorch's here (about a fifth of a ResNet-18 step). Channel-blocked arrays
 * ({@link ChannelBlocks}) go to oneDNN 2.5's kernels instead ({@link DnnlBatchNorm}). A ReLU configured as
 * this layer's activation is applied here too (DL4J's layer ignores its activation). Other layouts and
 * locked γ/β fall back to DL4J's implementation, which has no fused ReLU.
 */
final class KerasBatchNormLayer extends BatchNormalization {
    private static final String GAMMA = BatchNormalizationParamInitializer.GAMMA;
    private static final String BETA = BatchNormalizationParamInitializer.BETA;
    private static final String MEAN = BatchNormalizationParamInitializer.GLOBAL_MEAN;
    private static final String VAR = BatchNormalizationParamInitializer.GLOBAL_VAR;
    private static final String LOG_STD = BatchNormalizationParamInitializer.GLOBAL_LOG_STD;

    /** oneDNN 2.5's batch norms for blocked arrays by shape; a null value: none for the shape. */
    private final ShapePlans<DnnlBatchNorm> norms = new ShapePlans<>();
    /** Batch statistics of the last training forward pass, and the input they belong to. */
    private INDArray statisticsOf;
    private double[] batchMean;
    private double[] batchVariance;

    KerasBatchNormLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean handles(INDArray x) {
        if (layerConf().isLockGammaBeta() || x.dataType() != DataType.FLOAT) {
            return false;
        }
        return x.rank() == 2 || x.rank() == 4 && layerConf().getCnn2DFormat() == CNN2DFormat.NCHW;
    }

    /** Images, channels and pixels per channel of an N×C or N×C×H×W array. */
    private static int[] dims(INDArray x) {
        long[] s = x.shape();
        return new int[] {(int) s[0], (int) s[1], x.rank() == 4 ? (int) (s[2] * s[3]) : 1};
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        return preOutput(input, training ? TrainingMode.TRAIN : TrainingMode.TEST, workspaceMgr);
    }

    @Override
    public INDArray preOutput(INDArray x, TrainingMode training, LayerWorkspaceMgr workspaceMgr) {
        if (blocked()) {
            DnnlBatchNorm norm = norm(x.shape());
            if (norm != null) {
                return blockedOutput(norm, x, training, workspaceMgr);
            }
            // no oneDNN kernel for this shape: the plain kernel, between reorders
            INDArray y = plainOutput(ChannelBlocks.toPlain(x, workspaceMgr, ArrayType.FF_WORKING_MEM), training,
                    workspaceMgr);
            return ChannelBlocks.toBlocked(y, workspaceMgr, ArrayType.ACTIVATIONS);
        }
        return plainOutput(x, training, workspaceMgr);
    }

    /** Whether this layer's arrays are in {@link ChannelBlocks}' layout. */
    private boolean blocked() {
        return ((KerasBatchNorm) layerConf()).isBlocked() && ChannelBlocks.usable();
    }

    /** oneDNN's batch norm for blocked arrays of {@code shape}, or null when it has none. */
    private DnnlBatchNorm norm(long[] shape) {
        return norms.get(shape, () -> DnnlBatchNorm.forShape(shape, layerConf().getEps(), fusedRelu()));
    }

    private INDArray blockedOutput(DnnlBatchNorm norm, INDArray x, TrainingMode training,
                                   LayerWorkspaceMgr workspaceMgr) {
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, x.shape(), 'c');
        float[] gamma = HostFloats.read(getParam(GAMMA));
        float[] beta = HostFloats.read(getParam(BETA));
        if (training == TrainingMode.TRAIN) {
            int channels = (int) x.size(1);
            batchMean = new double[channels];
            batchVariance = new double[channels];
            norm.forward(x, gamma, beta, y, batchMean, batchVariance);
            statisticsOf = x;
        } else {
            norm.inference(x, gamma, beta, HostFloats.read(getParam(MEAN)), floats(runningVariance()), y);
        }
        return y;
    }

    private INDArray plainOutput(INDArray x, TrainingMode training, LayerWorkspaceMgr workspaceMgr) {
        if (!handles(x)) {
            requireUnfused(x);
            return super.preOutput(x, training, workspaceMgr);
        }
        int[] d = dims(x);
        Images in = Images.of(HostFloats.dense(x));
        double[] mean;
        double[] variance;
        if (training == TrainingMode.TRAIN) {
            mean = new double[d[1]];
            variance = new double[d[1]];
            BatchNormKernel.statistics(in, d[1], d[2], mean, variance);
            statisticsOf = x;
            batchMean = mean;
            batchVariance = variance;
        } else {
            mean = doubles(getParam(MEAN));
            variance = runningVariance();
        }
        float[][] affine = affine(mean, variance);
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, x.shape(), 'c');
        BatchNormKernel.affine(in, Images.of(y), d[1], d[2], affine[0], affine[1], fusedRelu());
        return y;
    }

    /** Whether the ReLU after this batch norm is computed here (see {@link KerasBatchNorm}). */
    private boolean fusedRelu() {
        return layerConf().getActivationFn() instanceof KerasRelu;
    }

    /** Per-channel scale γ/√(σ² + ε) and shift β − μ·scale: the output is scale·x + shift. */
    private float[][] affine(double[] mean, double[] variance) {
        double[] gamma = doubles(getParam(GAMMA));
        double[] beta = doubles(getParam(BETA));
        double eps = layerConf().getEps();
        float[] scale = new float[gamma.length];
        float[] shift = new float[gamma.length];
        for (int c = 0; c < gamma.length; c++) {
            double s = gamma[c] / Math.sqrt(variance[c] + eps);
            scale[c] = (float) s;
            shift[c] = (float) (beta[c] - mean[c] * s);
        }
        return new float[][] {scale, shift};
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (blocked()) {
            DnnlBatchNorm norm = norm(input.shape());
            if (norm != null) {
                return blockedGradient(norm, epsilon, workspaceMgr);
            }
            INDArray x = ChannelBlocks.toPlain(input, workspaceMgr, ArrayType.BP_WORKING_MEM);
            Pair<Gradient, INDArray> g = plainGradient(x,
                    ChannelBlocks.toPlain(HostFloats.dense(epsilon), workspaceMgr, ArrayType.BP_WORKING_MEM),
                    workspaceMgr);
            return new Pair<>(g.getFirst(),
                    ChannelBlocks.toBlocked(g.getSecond(), workspaceMgr, ArrayType.ACTIVATION_GRAD));
        }
        return plainGradient(input, epsilon, workspaceMgr);
    }

    private Pair<Gradient, INDArray> blockedGradient(DnnlBatchNorm norm, INDArray epsilon,
                                                     LayerWorkspaceMgr workspaceMgr) {
        int channels = (int) input.size(1);
        if (statisticsOf != input || batchMean == null) {
            // the statistics and the ReLU's mask come from a training forward pass over this input
            blockedOutput(norm, input, TrainingMode.TRAIN, workspaceMgr);
        }
        double[] dGamma = new double[channels];
        double[] dBeta = new double[channels];
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        norm.backward(input, HostFloats.dense(epsilon), out, dGamma, dBeta);
        return new Pair<>(gradient(dGamma, dBeta), out);
    }

    private Pair<Gradient, INDArray> plainGradient(INDArray input, INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!handles(input) || epsilon.dataType() != DataType.FLOAT) {
            requireUnfused(input);
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        int[] d = dims(input);
        int channels = d[1];
        Images x = Images.of(HostFloats.dense(input));
        if (statisticsOf != input || batchMean == null) {
            batchMean = new double[channels];
            batchVariance = new double[channels];
            BatchNormKernel.statistics(x, channels, d[2], batchMean, batchVariance);
        }
        double eps = layerConf().getEps();
        double[] invStd = new double[channels];
        for (int c = 0; c < channels; c++) {
            invStd[c] = 1 / Math.sqrt(batchVariance[c] + eps);
        }
        double[] dGamma = new double[channels];
        double[] dBeta = new double[channels];
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        // the fused ReLU's mask comes from the forward pass's coefficients, recomputed the same way
        float[][] relu = fusedRelu() ? affine(batchMean, batchVariance) : new float[2][];
        BatchNormKernel.backward(x, Images.of(HostFloats.dense(epsilon)), Images.of(out), channels, d[2], batchMean,
                invStd, doubles(getParam(GAMMA)), dGamma, dBeta, relu[0], relu[1]);
        return new Pair<>(gradient(dGamma, dBeta), out);
    }

    /**
     * γ and β gradients, and the running averages' steps from the batch statistics of the last training
     * forward pass, which this consumes.
     */
    private Gradient gradient(double[] dGamma, double[] dBeta) {
        int channels = dGamma.length;
        Gradient gradient = new DefaultGradient();
        put(gradient, GAMMA, dGamma);
        put(gradient, BETA, dBeta);
        double decay = layerConf().getDecay();
        double[] mean = doubles(getParam(MEAN));
        double[] dMean = new double[channels];
        for (int c = 0; c < channels; c++) {
            dMean[c] = (1 - decay) * (mean[c] - batchMean[c]);
        }
        put(gradient, MEAN, dMean);
        double[] variance = runningVariance();
        double[] dVar = new double[channels];
        for (int c = 0; c < channels; c++) {
            double next = decay * variance[c] + (1 - decay) * batchVariance[c];
            // log10(std) parameterisation: the step is log10 std_t − log10 std_t+1
            dVar[c] = layerConf().isUseLogStd() ? 0.5 * Math.log10(variance[c] / next) : variance[c] - next;
        }
        put(gradient, layerConf().isUseLogStd() ? LOG_STD : VAR, dVar);
        statisticsOf = null;
        batchMean = null;
        batchVariance = null;
        return gradient;
    }

    /** DL4J's own layer, the fallback, knows nothing of a fused ReLU. */
    private void requireUnfused(INDArray x) {
        if (fusedRelu()) {
            throw new IllegalStateException("batch norm with a fused ReLU takes float N×C or N×C×H×W input with "
                    + "trainable γ and β, got " + x.dataType() + " " + java.util.Arrays.toString(x.shape()));
        }
    }

    @Override
    public void clear() {
        super.clear();
        statisticsOf = null;
        batchMean = null;
        batchVariance = null;
    }

    private double[] runningVariance() {
        if (!layerConf().isUseLogStd()) {
            return doubles(getParam(VAR));
        }
        double[] logStd = doubles(getParam(LOG_STD));
        double[] v = new double[logStd.length];
        for (int c = 0; c < v.length; c++) {
            v[c] = Math.pow(10, 2 * logStd[c]);
        }
        return v;
    }

    private void put(Gradient gradient, String name, double[] values) {
        INDArray view = gradientViews.get(name);
        if (HostFloats.isDenseC(view) && view.length() == values.length) {
            // written in place: four small native operations less per layer and step
            HostFloats.write(floats(values), view);
        } else {
            view.assign(Nd4j.createFromArray(values).castTo(view.dataType()).reshape(view.shape()));
        }
        gradient.setGradientFor(name, view);
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static double[] doubles(INDArray a) {
        float[] f = HostFloats.read(a);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
