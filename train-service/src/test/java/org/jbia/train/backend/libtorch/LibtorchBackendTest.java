package org.jbia.train.backend.libtorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.TrainSpec;
import org.jbia.train.backend.TrainableModel;
import org.jbia.train.model.BinaryLoss;
import org.jbia.train.model.Layer;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.Networks;
import org.jbia.train.model.OptimizerSpec;
import org.jbia.train.model.PoolType;
import org.jbia.train.model.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the libtorch backend builds by hand: TF padding, pooling, LRN, batch norm, Keras' optimisers. */
class LibtorchBackendTest {
    private static final LibtorchBackend BACKEND = LibtorchBackend.instance();
    private static final OptimizerSpec SGD = OptimizerSpec.of(TrainSpec.defaults());
    private static final BinaryLoss BCE = BinaryLoss.of("binary_crossentropy", null);

    @Test
    void describesEngineAndDevice() {
        assertThat(BACKEND.name()).isEqualTo("libtorch");
        assertThat(BACKEND.describe()).contains("libtorch 2.", "DJL", "device cpu()", "threads");
    }

    @Test
    void missingNativesAreNamedInTheError() {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertThatThrownBy(() -> LibtorchBackend.requireNatives(empty))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ai.djl.pytorch:pytorch-native-cpu (classifier linux-x86_64)")
                    .hasMessageContaining("cuda-libtorch");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs the first layer of [layer, flatten, output] on one C×H×W image in inference mode. */
    private static float[][][] apply(Layer layer, float[][][] image) {
        int c = image.length;
        int h = image[0].length;
        int w = image[0][0].length;
        NetworkSpec net = new NetworkSpec("t", Shape.image(h, w, c), List.of(layer, new Layer.Flatten(),
                new Layer.Output("glorot_uniform")));
        try (LibtorchModel model = (LibtorchModel) BACKEND.create(net, SGD, BCE, 1);
             NDManager m = NDManager.newBaseManager(BACKEND.device(), LibtorchBackend.ENGINE)) {
            float[] chw = new float[c * h * w];
            for (int b = 0; b < c; b++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(image[b][y], 0, chw, (b * h + y) * w, w);
                }
            }
            NDArray out = model.network().forward(m.create(chw, TorchNetwork.dims(1, c, h, w)), false, 1);
            long[] s = out.getShape().getShape();
            float[] v = out.toFloatArray();
            float[][][] r = new float[(int) s[1]][(int) s[2]][(int) s[3]];
            for (int b = 0; b < s[1]; b++) {
                for (int y = 0; y < s[2]; y++) {
                    for (int x = 0; x < s[3]; x++) {
                        r[b][y][x] = v[(int) ((b * s[2] + y) * s[3] + x)];
                    }
                }
            }
            return r;
        }
    }

    private static float[][][] random(int c, int h, int w, long seed, boolean signed) {
        Random r = new Random(seed);
        float[][][] a = new float[c][h][w];
        for (float[][] p : a) {
            for (float[] row : p) {
                for (int x = 0; x < w; x++) {
                    row[x] = (float) (signed ? r.nextGaussian() * 3 : r.nextDouble() * 5);
                }
            }
        }
        return a;
    }

    @Test
    void localResponseNormalisationFollowsTensorFlow() {
        float[][][] in = random(16, 3, 3, 7, true);
        float[][][] out = apply(new Layer.LocalResponse(5, 2, 1e-2, 0.75), in);
        for (int c = 0; c < 16; c++) {
            double sum = 0;
            for (int d = Math.max(0, c - 5); d <= Math.min(15, c + 5); d++) {
                sum += in[d][1][2] * in[d][1][2];
            }
            assertThat((double) out[c][1][2]).isCloseTo(in[c][1][2] / Math.pow(2 + 1e-2 * sum, 0.75), within(1e-5));
        }
    }

    /**
     * TF 'same' pooling: 5x5 with a 3x3 window and stride 2 pads one cell on each side; 6x6 pads one
     * cell after only (odd total); 8x8 with 5x5 and stride 2 one before and two after; 5x5 with 2x2 and
     * stride 1 one after; padded cells are never the max or min and not counted in the mean.
     */
    @ParameterizedTest
    @CsvSource({"5,3,2", "6,3,2", "6,2,2", "7,3,3", "4,3,1", "8,5,2", "8,3,3", "5,2,1"})
    void poolingUsesSamePaddingWithoutCountingPaddedCells(int size, int window, int stride) {
        float[][][] in = random(2, size, size, 3, false);
        int out = (size + stride - 1) / stride;
        int before = Shape.samePadding(size, window, stride) / 2;
        float[][][] avg = apply(new Layer.Pool(PoolType.AVERAGE, window, stride), in);
        float[][][] max = apply(new Layer.Pool(PoolType.MAX, window, stride), in);
        float[][][] min = apply(new Layer.Pool(PoolType.MIN, window, stride), in);
        assertThat(avg[0]).hasDimensions(out, out);
        for (int c = 0; c < 2; c++) {
            for (int oy = 0; oy < out; oy++) {
                for (int ox = 0; ox < out; ox++) {
                    double s = 0;
                    int n = 0;
                    double hi = Double.NEGATIVE_INFINITY;
                    double lo = Double.POSITIVE_INFINITY;
                    for (int y = oy * stride - before; y < oy * stride - before + window; y++) {
                        for (int x = ox * stride - before; x < ox * stride - before + window; x++) {
                            if (y >= 0 && y < size && x >= 0 && x < size) {
                                s += in[c][y][x];
                                n++;
                                hi = Math.max(hi, in[c][y][x]);
                                lo = Math.min(lo, in[c][y][x]);
                            }
                        }
                    }
                    assertThat((double) avg[c][oy][ox]).as("average at %d,%d", oy, ox).isCloseTo(s / n, within(1e-5));
                    assertThat((double) max[c][oy][ox]).as("max at %d,%d", oy, ox).isCloseTo(hi, within(1e-6));
                    assertThat((double) min[c][oy][ox]).as("min at %d,%d", oy, ox).isCloseTo(lo, within(1e-6));
                }
            }
        }
    }

    /**
     * A 3x3 stride-2 convolution of a 6x6 image: TF pads one row and column after, none before. Outputs of
     * 3x3 come from the matrix-product path ({@link TorchNetwork#GEMM_MAX_SIDE}), the 7x7 one from libtorch's.
     */
    @ParameterizedTest
    @CsvSource({"6,3,2", "5,3,2", "7,5,1", "8,4,3"})
    void convolutionUsesSamePadding(int size, int kernel, int stride) {
        float[][][] in = random(2, size, size, 5, true);
        Layer.Conv conv = new Layer.Conv(3, kernel, stride, "linear", "glorot_uniform", true, 0);
        float[][][] out = apply(conv, in);
        NetworkSpec net = new NetworkSpec("t", Shape.image(size, size, 2), List.of(conv, new Layer.Flatten(),
                new Layer.Output("glorot_uniform")));
        float[] w;
        float[] b;
        try (LibtorchModel model = (LibtorchModel) BACKEND.create(net, SGD, BCE, 1)) {
            w = model.network().parameters().get(0).array().toFloatArray(); // filters × channels × k × k
            b = model.network().parameters().get(1).array().toFloatArray();
        }
        int n = (size + stride - 1) / stride;
        int before = Shape.samePadding(size, kernel, stride) / 2;
        assertThat(out[0]).hasDimensions(n, n);
        for (int f = 0; f < 3; f++) {
            for (int oy = 0; oy < n; oy++) {
                for (int ox = 0; ox < n; ox++) {
                    double s = b[f];
                    for (int c = 0; c < 2; c++) {
                        for (int ky = 0; ky < kernel; ky++) {
                            for (int kx = 0; kx < kernel; kx++) {
                                int y = oy * stride - before + ky;
                                int x = ox * stride - before + kx;
                                if (y >= 0 && y < size && x >= 0 && x < size) {
                                    s += w[((f * 2 + c) * kernel + ky) * kernel + kx] * in[c][y][x];
                                }
                            }
                        }
                    }
                    assertThat((double) out[f][oy][ox]).as("filter %d at %d,%d", f, oy, ox).isCloseTo(s, within(1e-4));
                }
            }
        }
    }

    /**
     * One plain SGD step moves a convolution's kernel by −lr times its gradient, worked out here by hand,
     * whether the convolution runs as one matrix product (3×3 output) or through libtorch's convolution
     * (6×6 output; see {@link TorchNetwork#GEMM_MAX_SIDE}).
     */
    @ParameterizedTest
    @ValueSource(ints = {3, 6})
    void convolutionGradientIsTheSameEitherWay(int size) {
        assertThat(size <= TorchNetwork.GEMM_MAX_SIDE).isEqualTo(size == 3);
        int channels = 2;
        int filters = 3;
        double lr = 0.1;
        OptimizerSpec plainSgd = new OptimizerSpec("sgd", lr, 0, false, 0, 0.9, 0.999, false, 0.9, 1e-7);
        NetworkSpec net = new NetworkSpec("t", Shape.image(size, size, channels), List.of(
                new Layer.Conv(filters, 3, 1, "linear", "glorot_uniform", false, 0), new Layer.GlobalAveragePool(),
                new Layer.Output("glorot_uniform")));
        float[][][][] images = {random(channels, size, size, 7, true), random(channels, size, size, 8, true)};
        float[] labels = {1, 0};
        ImageStack x = ImageStack.zeros(2, size, size, channels);
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < size; y++) {
                    for (int xx = 0; xx < size; xx++) {
                        x.pixels()[((i * size + y) * size + xx) * channels + c] = images[i][c][y][xx];
                    }
                }
            }
        }
        try (LibtorchModel model = (LibtorchModel) BACKEND.create(net, plainSgd, BCE, 1)) {
            List<TorchNetwork.Parameter> params = model.network().parameters();
            float[] w = params.get(0).array().toFloatArray(); // filters × channels × 3 × 3
            float[] v = params.get(1).array().toFloatArray(); // the output's weight per filter
            float[] p = model.fit(x, labels);
            float[] after = params.get(0).array().toFloatArray();
            for (int f = 0; f < filters; f++) {
                for (int c = 0; c < channels; c++) {
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            // dL/dw = Σᵢ (pᵢ − yᵢ)/N · v_f/(H·W) · Σ over output pixels of the input under this tap
                            double g = 0;
                            for (int i = 0; i < 2; i++) {
                                double under = 0;
                                for (int oy = 0; oy < size; oy++) {
                                    for (int ox = 0; ox < size; ox++) {
                                        int y = oy + ky - 1;
                                        int xx = ox + kx - 1;
                                        if (y >= 0 && y < size && xx >= 0 && xx < size) {
                                            under += images[i][c][y][xx];
                                        }
                                    }
                                }
                                g += (p[i] - labels[i]) / 2.0 * v[f] / (size * size) * under;
                            }
                            int at = ((f * channels + c) * 3 + ky) * 3 + kx;
                            assertThat((double) after[at]).as("kernel %d,%d,%d,%d", f, c, ky, kx)
                                    .isCloseTo(w[at] - lr * g, within(1e-5));
                        }
                    }
                }
            }
        }
    }

    /**
     * Inference folds each batch norm into the linear convolution before it; layer by layer, without the
     * folding, the network gives the same outputs. After training steps, so that the running statistics,
     * γ and β are not their initial values; one convolution on oneDNN (6×6 output), one a matrix product (3×3).
     */
    @Test
    void foldedBatchNormGivesTheUnfoldedOutputs() {
        List<Layer> layers = List.of(
                new Layer.Conv(4, 3, 1, "linear", "glorot_uniform", true, 0), new Layer.BatchNorm(0.5, 1e-3),
                new Layer.Act("relu"),
                new Layer.Conv(5, 3, 2, "linear", "glorot_uniform", false, 0), new Layer.BatchNorm(0.5, 1e-3),
                new Layer.GlobalAveragePool(), new Layer.Output("glorot_uniform"));
        NetworkSpec net = new NetworkSpec("t", Shape.image(6, 6, 2), layers);
        ImageStack x = ImageStack.zeros(4, 6, 6, 2);
        Random r = new Random(9);
        for (int i = 0; i < x.pixels().length; i++) {
            x.pixels()[i] = (float) (3 + 2 * r.nextGaussian());
        }
        try (LibtorchModel model = (LibtorchModel) BACKEND.create(net, SGD, BCE, 1);
             NDManager m = NDManager.newBaseManager(BACKEND.device(), LibtorchBackend.ENGINE)) {
            for (int i = 0; i < 3; i++) {
                model.fit(x, new float[] {1, 0, 1, 0});
            }
            float[] nchw = new float[x.pixels().length];
            for (int i = 0; i < 4; i++) {
                for (int p = 0; p < 36; p++) {
                    for (int c = 0; c < 2; c++) {
                        nchw[(i * 2 + c) * 36 + p] = x.pixels()[(i * 36 + p) * 2 + c];
                    }
                }
            }
            NDArray images = m.create(nchw, TorchNetwork.dims(4, 2, 6, 6));
            float[] folded = model.network().forward(images, false).toFloatArray();
            float[] layerByLayer = model.network().forward(images, false, layers.size()).toFloatArray();
            assertThat(folded).isNotEqualTo(layerByLayer); // a different computation ...
            for (int i = 0; i < folded.length; i++) {
                assertThat(folded[i]).as("image %d", i).isCloseTo(layerByLayer[i], within(1e-5f)); // ... same result
            }
            assertThat(model.predict(x)[0]).isCloseTo(sigmoid(layerByLayer[0]), within(1e-6f));
        }
    }

    private static float sigmoid(float z) {
        return (float) (1 / (1 + Math.exp(-z)));
    }

    /** Keras' momentum (the share kept of the running statistic) and epsilon; running mean starts at 0. */
    @Test
    void batchNormKeepsKerasRunningStatistics() {
        NetworkSpec net = new NetworkSpec("t", Shape.image(2, 2, 3), List.of(new Layer.BatchNorm(0.9, 1e-3),
                new Layer.Flatten(), new Layer.Output("glorot_uniform")));
        ImageStack x = ImageStack.zeros(4, 2, 2, 3);
        Random r = new Random(3);
        for (int i = 0; i < x.pixels().length; i++) {
            x.pixels()[i] = (float) (5 + 2 * r.nextGaussian());
        }
        try (LibtorchModel model = (LibtorchModel) BACKEND.create(net, SGD, BCE, 1)) {
            model.fit(x, new float[] {1, 0, 1, 0});
            float[] runningMean = model.network().parameters().get(2).array().toFloatArray();
            float[] runningVar = model.network().parameters().get(3).array().toFloatArray();
            for (int c = 0; c < 3; c++) {
                double sum = 0;
                double sq = 0;
                for (int n = 0; n < 4; n++) {
                    for (int p = 0; p < 4; p++) {
                        double v = x.pixels()[(n * 4 + p) * 3 + c];
                        sum += v;
                        sq += v * v;
                    }
                }
                double mean = sum / 16;
                double unbiasedVar = (sq - 16 * mean * mean) / 15;
                assertThat((double) runningMean[c]).isCloseTo(0.1 * mean, within(1e-4));
                assertThat((double) runningVar[c]).isCloseTo(0.9 + 0.1 * unbiasedVar, within(1e-4));
            }
            // inference: (x − running mean) / √(running var + ε), γ = 1 and β = 0 moved by one small step only
            try (NDManager m = NDManager.newBaseManager(BACKEND.device(), LibtorchBackend.ENGINE)) {
                float[] one = new float[12];
                for (int c = 0; c < 3; c++) {
                    for (int p = 0; p < 4; p++) {
                        one[c * 4 + p] = x.pixels()[p * 3 + c];
                    }
                }
                float[] y = model.network().forward(m.create(one, TorchNetwork.dims(1, 3, 2, 2)), false, 1)
                        .toFloatArray();
                float gamma = model.network().parameters().get(0).array().toFloatArray()[0];
                float beta = model.network().parameters().get(1).array().toFloatArray()[0];
                assertThat((double) y[0]).isCloseTo((x.get(0, 0, 0, 0) - runningMean[0])
                        / Math.sqrt(runningVar[0] + 1e-3) * gamma + beta, within(1e-4));
            }
        }
    }

    // --- optimisers: three steps of logistic regression z = w·x + b against Keras' rules in double ---

    private static final float[][] X = {{1, -2, 0.5f}, {0.3f, 0.8f, -1}, {-1.5f, 0.2f, 2}, {0.7f, 0.1f, 0.4f}};
    private static final float[] Y = {1, 0, 1, 0};

    private static OptimizerSpec optimizer(String name, boolean flag) {
        return new OptimizerSpec(name, 0.05, 0.9, flag, 0.1, 0.9, 0.999, flag, 0.9, 1e-7);
    }

    @ParameterizedTest
    @CsvSource({"sgd,false", "sgd,true", "adam,false", "adam,true", "adamax,false", "nadam,false", "adadelta,false",
            "rmsprop,false"})
    void optimisersFollowKeras(String name, boolean flag) {
        OptimizerSpec o = optimizer(name, flag);
        BinaryLoss loss = BinaryLoss.of("weighted_binary_crossentropy", 2.0);
        NetworkSpec net = new NetworkSpec("t", Shape.image(1, 1, 3), List.of(new Layer.Flatten(),
                new Layer.Output("glorot_uniform")));
        ImageStack x = ImageStack.zeros(4, 1, 1, 3);
        for (int i = 0; i < 4; i++) {
            System.arraycopy(X[i], 0, x.pixels(), i * 3, 3);
        }
        try (LibtorchModel model = (LibtorchModel) BACKEND.create(net, o, loss, 9)) {
            double[] w = new double[4]; // three weights, then the bias
            float[] w0 = model.network().parameters().get(0).array().toFloatArray();
            for (int i = 0; i < 3; i++) {
                w[i] = w0[i];
            }
            KerasReference ref = new KerasReference(o, 4);
            for (int step = 0; step < 3; step++) {
                float[] p = model.fit(x, Y);
                double[] g = gradient(w, loss);
                for (int i = 0; i < 4; i++) {
                    assertThat((double) p[i]).isCloseTo(1 / (1 + Math.exp(-logit(w, i))), within(1e-6));
                }
                ref.step(w, g);
            }
            float[] after = model.network().parameters().get(0).array().toFloatArray();
            float bias = model.network().parameters().get(1).array().toFloatArray()[0];
            for (int i = 0; i < 3; i++) {
                assertThat((double) after[i]).as("weight %d", i).isCloseTo(w[i], within(2e-6 + 1e-5 * Math.abs(w[i])));
            }
            assertThat((double) bias).isCloseTo(w[3], within(2e-6 + 1e-5 * Math.abs(w[3])));
            assertThat(w[3]).as("the bias moved").isNotZero();
        }
    }

    private static double logit(double[] w, int i) {
        return w[0] * X[i][0] + w[1] * X[i][1] + w[2] * X[i][2] + w[3];
    }

    /** d(Σ wᵢ·lᵢ / Σ wᵢ)/d(weights, bias). */
    private static double[] gradient(double[] w, BinaryLoss loss) {
        double total = 0;
        for (float y : Y) {
            total += loss.sampleWeight(y);
        }
        double[] g = new double[4];
        for (int i = 0; i < 4; i++) {
            double p = 1 / (1 + Math.exp(-logit(w, i)));
            double dz = loss.sampleWeight(Y[i]) * loss.gradientWrtLogit(p, Y[i]) / total;
            for (int j = 0; j < 3; j++) {
                g[j] += dz * X[i][j];
            }
            g[3] += dz;
        }
        return g;
    }

    /** Keras' (tf.keras 2.x) update rules, written out plainly. */
    private static final class KerasReference {
        private final OptimizerSpec o;
        private final double[] a;
        private final double[] b;
        private final double[] c;
        private long t;
        private double schedule = 1;

        KerasReference(OptimizerSpec o, int n) {
            this.o = o;
            a = new double[n];
            b = new double[n];
            c = new double[n];
        }

        void step(double[] w, double[] g) {
            double lr = o.lr() / (1 + o.decay() * t);
            t++;
            double b1 = o.beta1();
            double b2 = o.beta2();
            double eps = o.epsilon();
            double muT = b1 * (1 - 0.5 * Math.pow(0.96, t * 0.004));
            double muNext = b1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * 0.004));
            double scheduleNew = schedule * muT;
            double scheduleNext = scheduleNew * muNext;
            schedule = scheduleNew;
            for (int i = 0; i < w.length; i++) {
                switch (o.name()) {
                    case "sgd" -> {
                        a[i] = o.momentum() * a[i] - lr * g[i];
                        w[i] += o.nesterov() ? o.momentum() * a[i] - lr * g[i] : a[i];
                    }
                    case "adam" -> {
                        a[i] = b1 * a[i] + (1 - b1) * g[i];
                        b[i] = b2 * b[i] + (1 - b2) * g[i] * g[i];
                        c[i] = Math.max(c[i], b[i]);
                        double v = o.amsgrad() ? c[i] : b[i];
                        double lrT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
                        w[i] -= lrT * a[i] / (Math.sqrt(v) + eps);
                    }
                    case "adamax" -> {
                        a[i] = b1 * a[i] + (1 - b1) * g[i];
                        b[i] = Math.max(b2 * b[i], Math.abs(g[i]));
                        w[i] -= lr / (1 - Math.pow(b1, t)) * a[i] / (b[i] + eps);
                    }
                    case "nadam" -> {
                        double gPrime = g[i] / (1 - scheduleNew);
                        a[i] = b1 * a[i] + (1 - b1) * g[i];
                        double mPrime = a[i] / (1 - scheduleNext);
                        b[i] = b2 * b[i] + (1 - b2) * g[i] * g[i];
                        double vPrime = b[i] / (1 - Math.pow(b2, t));
                        double mBar = (1 - muT) * gPrime + muNext * mPrime;
                        w[i] -= lr * mBar / (Math.sqrt(vPrime) + eps);
                    }
                    case "adadelta" -> {
                        a[i] = o.rho() * a[i] + (1 - o.rho()) * g[i] * g[i];
                        double delta = Math.sqrt(b[i] + eps) / Math.sqrt(a[i] + eps) * g[i];
                        b[i] = o.rho() * b[i] + (1 - o.rho()) * delta * delta;
                        w[i] -= lr * delta;
                    }
                    default -> {
                        a[i] = o.rho() * a[i] + (1 - o.rho()) * g[i] * g[i];
                        w[i] -= lr * g[i] / (Math.sqrt(a[i]) + eps);
                    }
                }
            }
        }
    }

    /** Keras' l2(λ) adds λ·Σw² to the loss: one plain SGD step moves the kernel a further −lr·2λ·w. */
    @Test
    void l2RegularisationAddsTwiceTheFactorTimesTheWeight() {
        OptimizerSpec sgd = new OptimizerSpec("sgd", 0.1, 0, false, 0, 0.9, 0.999, false, 0.95, 1e-7);
        ImageStack x = ImageStack.zeros(2, 2, 2, 1);
        for (int i = 0; i < x.pixels().length; i++) {
            x.pixels()[i] = i * 0.3f - 1;
        }
        float[][] kernels = new float[2][];
        float[] initial = null;
        for (int k = 0; k < 2; k++) {
            double l2 = k == 0 ? 0 : 0.05;
            NetworkSpec net = new NetworkSpec("t", Shape.image(2, 2, 1), List.of(new Layer.Flatten(),
                    new Layer.Dense(3, "tanh", "glorot_uniform", l2), new Layer.Output("glorot_uniform")));
            try (LibtorchModel model = (LibtorchModel) BACKEND.create(net, sgd, BCE, 5)) {
                initial = model.network().parameters().get(0).array().toFloatArray();
                model.fit(x, new float[] {1, 0});
                kernels[k] = model.network().parameters().get(0).array().toFloatArray();
            }
        }
        for (int i = 0; i < initial.length; i++) {
            assertThat((double) kernels[1][i] - kernels[0][i]).isCloseTo(-0.1 * 2 * 0.05 * initial[i], within(1e-6));
        }
    }

    /** Dropout masks come from the model's seed, whatever other models draw in between. */
    @Test
    void dropoutMasksFollowTheModelsSeed() {
        NetworkSpec net = Networks.build("custom_cnn", Map.of("filter_1", 4, "filter_size_1", 3, "dense_neurons_1", 32,
                "dropout_1", 0.5, "model_reg", "none"), 8, 8, 1);
        ImageStack x = ImageStack.zeros(6, 8, 8, 1);
        for (int i = 0; i < x.pixels().length; i++) {
            x.pixels()[i] = (i % 7) * 0.2f;
        }
        float[] y = {1, 0, 1, 0, 1, 0};
        try (TrainableModel a = BACKEND.create(net, SGD, BCE, 3); TrainableModel b = BACKEND.create(net, SGD, BCE, 3);
             TrainableModel other = BACKEND.create(net, SGD, BCE, 4)) {
            float[] first = a.fit(x, y);
            other.fit(x, y);
            assertThat(b.fit(x, y)).containsExactly(first);
            float[] second = a.fit(x, y);
            assertThat(second).isNotEqualTo(first);
            assertThat(a.predict(x)).containsExactly(a.predict(x)); // no dropout in inference
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uniform_scaling", "lecun_uniform", "he_uniform", "glorot_uniform", "TruncatedNormal",
            "he_normal", "lecun_normal", "glorot_normal"})
    void initialisersHaveKerasScale(String name) {
        double fanIn = 200;
        double fanOut = 50;
        float[] v = KerasInitializer.values(name, fanIn, fanOut, 40_000, new SplittableRandom(1));
        double variance = 0;
        double largest = 0;
        for (float f : v) {
            variance += f * f;
            largest = Math.max(largest, Math.abs(f));
        }
        variance /= v.length;
        double expected = switch (name) {
            case "uniform_scaling", "lecun_uniform", "lecun_normal" -> 1 / fanIn;
            case "he_uniform", "he_normal" -> 2 / fanIn;
            case "glorot_uniform", "glorot_normal" -> 2 / (fanIn + fanOut);
            default -> 0.05 * 0.05 * 0.7737; // a normal truncated at 2σ keeps 77% of its variance
        };
        assertThat(variance).isCloseTo(expected, within(expected * 0.05));
        // uniform: ±√(3·variance); truncated normal: ±2σ of the normal before truncation
        double bound = name.endsWith("uniform") ? Math.sqrt(3 * expected) : 2 * Math.sqrt(expected / 0.7737);
        assertThat(largest).isLessThanOrEqualTo(bound * 1.0001);
    }

    /** Weights and batch norm statistics come back; training goes on from them. */
    @Test
    void restoreBringsBackTheSnapshotsWeights() {
        NetworkSpec net = Networks.build("custom_cnn", Map.of("filter_1", 4, "dense_neurons_1", 8), 8, 8, 1);
        ImageStack x = ImageStack.zeros(4, 8, 8, 1);
        for (int i = 0; i < x.pixels().length; i++) {
            x.pixels()[i] = (i % 11) * 0.1f;
        }
        float[] y = {1, 0, 1, 0};
        try (TrainableModel model = BACKEND.create(net, OptimizerSpec.of(TrainSpec.defaults()), BCE, 1)) {
            model.fit(x, y);
            float[] before = model.predict(x);
            try (var snapshot = model.snapshot()) {
                for (int i = 0; i < 3; i++) {
                    model.fit(x, y);
                }
                assertThat(model.predict(x)).isNotEqualTo(before);
                model.restore(snapshot);
                assertThat(model.predict(x)).containsExactly(before);
                model.fit(x, y);
                assertThat(model.predict(x)).isNotEqualTo(before);
            }
        }
    }

    /** Every step's temporaries are freed: the tensors the model holds stay the same in number. */
    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam", "nadam"})
    void trainingAndPredictionFreeTheirTemporaries(String optimizer) {
        NetworkSpec net = Networks.build("resnet18", Map.of("filters", 4, "block_filters_1", 4, "block_filters_2", 4,
                "block_filters_3", 4, "block_filters_4", 4, "pooling", "average"), 9, 9, 1);
        ImageStack x = ImageStack.zeros(3, 9, 9, 1);
        for (int i = 0; i < x.pixels().length; i++) {
            x.pixels()[i] = (i % 5) * 0.3f;
        }
        float[] y = {1, 0, 1};
        try (LibtorchModel model = (LibtorchModel) BACKEND.create(net, optimizer(optimizer, false), BCE, 1)) {
            NDManager manager = model.network().parameters().get(0).array().getManager();
            model.fit(x, y);
            model.predict(x);
            int held = manager.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                model.fit(x, y);
                model.predict(x);
            }
            try (var snapshot = model.snapshot()) {
                model.restore(snapshot);
            }
            assertThat(manager.getManagedArrays()).hasSize(held);
        }
    }

    @Test
    void aLoadedModelPredictsButDoesNotTrain() {
        NetworkSpec net = Networks.build("custom_cnn", Map.of("filter_1", 4, "dense_neurons_1", 8), 8, 8, 1);
        ImageStack x = ImageStack.zeros(2, 8, 8, 1);
        try (TrainableModel model = BACKEND.create(net, SGD, BCE, 1);
             TrainableModel back = BACKEND.load(net, model.save())) {
            assertThat(back.predict(x)).containsExactly(model.predict(x));
            assertThat(back.parameterCount()).isEqualTo(model.parameterCount());
            assertThatThrownBy(() -> back.fit(x, new float[] {1, 0})).hasMessageContaining("loaded for prediction");
        }
    }

    @Test
    void aModelOfAnotherNetworkIsRefused() {
        NetworkSpec small = Networks.build("custom_cnn", Map.of("filter_1", 4, "dense_neurons_1", 8), 8, 8, 1);
        NetworkSpec wider = Networks.build("custom_cnn", Map.of("filter_1", 6, "dense_neurons_1", 8), 8, 8, 1);
        try (TrainableModel model = BACKEND.create(small, SGD, BCE, 1)) {
            byte[] saved = model.save();
            assertThatThrownBy(() -> BACKEND.load(wider, saved)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not fit its network")
                    .hasMessageContaining("000_conv.weight (6, 1, 7, 7) is 000_conv.weight (4, 1, 7, 7)");
            assertThatThrownBy(() -> BACKEND.load(small, new byte[] {1, 2, 3}))
                    .hasMessageContaining("cannot read the libtorch model");
        }
    }
}
