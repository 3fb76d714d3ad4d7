package org.jbia.train.backend.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.jbia.common.array.ImageStack;
import org.jbia.train.backend.TrainableModel;
import org.jbia.train.model.BinaryLoss;
import org.jbia.train.model.Layer;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.Networks;
import org.jbia.train.model.OptimizerSpec;
import org.jbia.train.model.PoolType;
import org.jbia.train.model.Shape;
import org.jbia.common.schema.TrainSpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Dl4jBackendTest {
    private static final Dl4jBackend BACKEND = Dl4jBackend.instance();
    private static final OptimizerSpec SGD = OptimizerSpec.of(TrainSpec.defaults());
    private static final BinaryLoss BCE = BinaryLoss.of("binary_crossentropy", null);

    @Test
    void oneDnnHelpersAreSwitchedOnForConvolutionAndPooling() throws Exception {
        assertThat(BACKEND.oneDnnHelpers()).as(BACKEND.describe()).isTrue();
        NetworkSpec net = new NetworkSpec("t", Shape.image(8, 8, 1), List.of(
                new Layer.Conv(4, 3, 1, "relu", "glorot_uniform", true, 0), new Layer.Pool(PoolType.MAX, 2, 2),
                new Layer.Flatten(), new Layer.Output("glorot_uniform")));
        try (Dl4jModel model = (Dl4jModel) BACKEND.create(net, SGD, BCE, 1)) {
            model.predict(ImageStack.zeros(2, 8, 8, 1));
            assertThat(helperOf(model.graph(), 0)).isNotNull()
                    .extracting(h -> h.getClass().getSimpleName()).isEqualTo("MKLDNNConvHelper");
            assertThat(helperOf(model.graph(), 1)).isNotNull()
                    .extracting(h -> h.getClass().getSimpleName()).isEqualTo("MKLDNNSubsamplingHelper");
        }
    }

    @Test
    void trainingStepsUpdateTheParametersInPlaceWithoutCopyingThem() {
        NetworkSpec net = new NetworkSpec("t", Shape.image(8, 8, 1), List.of(
                new Layer.Conv(4, 3, 1, "relu", "glorot_uniform", true, 0), new Layer.Flatten(),
                new Layer.Output("glorot_uniform")));
        try (Dl4jModel model = (Dl4jModel) BACKEND.create(net, SGD, BCE, 1)) {
            ComputationGraph g = model.graph();
            // DL4J's solver ends each step with setParams(params()), a full copy unless params() is the array itself
            assertThat(g.params()).isSameAs(g.params());
            INDArray before = g.params().dup();
            ImageStack x = ImageStack.zeros(4, 8, 8, 1);
            java.util.Arrays.fill(x.pixels(), 0.5f);
            model.fit(x, new float[] {1, 0, 1, 0});
            assertThat(g.params()).isSameAs(g.params());
            assertThat(g.params().sub(before).amaxNumber().doubleValue()).as("the step moved the parameters")
                    .isGreaterThan(0);

            // a model read back from its bundle, fine-tuned, is no different
            try (Dl4jModel loaded = (Dl4jModel) BACKEND.load(net, model.save())) {
                ComputationGraph l = loaded.graph();
                assertThat(l.params()).isSameAs(l.params());
                assertThat(l.params()).isEqualTo(g.params());
                loaded.fit(x, new float[] {1, 0, 1, 0});
                assertThat(l.params()).isSameAs(l.params());
            }
        }
    }

    private static Object helperOf(ComputationGraph graph, int layer) throws Exception {
        Object l = graph.getLayer(layer);
        for (Class<?> c = l.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals("helper")) {
                    f.setAccessible(true);
                    return f.get(l);
                }
            }
        }
        return null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"alexnet", "resnet18", "vgg16"})
    void storesTheTrainableParametersOfTheSpecPlusBatchNormStatistics(String clf) {
        NetworkSpec net = Networks.build(clf, Map.of(), 67, 67, 3);
        try (TrainableModel model = BACKEND.create(net, SGD, BCE, 1)) {
            assertThat(model.parameterCount()).isEqualTo(net.trainableParameters() + net.stateParameters());
        }
    }

    @Test
    void customCnnWithItsOptionsHasTheParametersOfTheSpec() {
        NetworkSpec net = Networks.build("custom_cnn", Map.of("filter_1", 16, "filter_2", 16, "dense_neurons_1", 16,
                "dense_neurons_2", 8, "model_reg", "local_response", "pooling_2", "min"), 20, 20, 2);
        try (TrainableModel model = BACKEND.create(net, SGD, BCE, 1)) {
            assertThat(model.parameterCount()).isEqualTo(net.trainableParameters() + net.stateParameters());
            assertThat(model.predict(ImageStack.zeros(3, 20, 20, 2))).hasSize(3);
        }
    }

    /** Runs one layer between an identity-free input and a linear 1-unit output, in inference mode. */
    private static float[][][] apply(Layer layer, float[][][] image) {
        int c = image.length;
        int h = image[0].length;
        int w = image[0][0].length;
        NetworkSpec net = new NetworkSpec("t", Shape.image(h, w, c), List.of(layer, new Layer.Flatten(),
                new Layer.Output("glorot_uniform")));
        try (Dl4jModel model = (Dl4jModel) BACKEND.create(net, SGD, BCE, 1)) {
            float[] pixels = new float[c * h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int b = 0; b < c; b++) {
                        pixels[(y * w + x) * c + b] = image[b][y][x];
                    }
                }
            }
            var acts = model.graph().feedForward(Dl4jModel.toNchw(new ImageStack(1, h, w, c, pixels)), false);
            var out = acts.get("000_" + kind(layer)) != null ? acts.get("000_" + kind(layer)) : lastBeforeOutput(acts);
            long[] s = out.shape();
            float[][][] r = new float[(int) s[1]][(int) s[2]][(int) s[3]];
            for (int b = 0; b < s[1]; b++) {
                for (int y = 0; y < s[2]; y++) {
                    for (int x = 0; x < s[3]; x++) {
                        r[b][y][x] = out.getFloat(0, b, y, x);
                    }
                }
            }
            return r;
        }
    }

    private static String kind(Layer layer) {
        return layer instanceof Layer.LocalResponse ? "lrn" : layer instanceof Layer.Pool p
                && p.pooling() != PoolType.MIN ? p.pooling().pyName() + "_pool" : "?";
    }

    private static org.nd4j.linalg.api.ndarray.INDArray lastBeforeOutput(
            Map<String, org.nd4j.linalg.api.ndarray.INDArray> acts) {
        return acts.entrySet().stream().filter(e -> e.getKey().contains("negate"))
                .max(Map.Entry.comparingByKey()).orElseThrow().getValue();
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
            assertThat((double) out[c][1][2]).isCloseTo(in[c][1][2] / Math.pow(2 + 1e-2 * sum, 0.75), within(1e-4));
        }
    }

    @Test
    void poolingUsesSamePaddingWithoutCountingPaddedCells() {
        // 5x5 input, 3x3 window, stride 2: TF pads 1 before and 1 after; the output is 3x3
        float[][][] in = random(1, 5, 5, 3, false);
        float[][][] avg = apply(new Layer.Pool(PoolType.AVERAGE, 3, 2), in);
        float[][][] max = apply(new Layer.Pool(PoolType.MAX, 3, 2), in);
        float[][][] min = apply(new Layer.Pool(PoolType.MIN, 3, 2), in);
        assertThat(avg[0]).hasDimensions(3, 3);
        for (int oy = 0; oy < 3; oy++) {
            for (int ox = 0; ox < 3; ox++) {
                double s = 0;
                int n = 0;
                double hi = Double.NEGATIVE_INFINITY;
                double lo = Double.POSITIVE_INFINITY;
                for (int y = oy * 2 - 1; y <= oy * 2 + 1; y++) {
                    for (int x = ox * 2 - 1; x <= ox * 2 + 1; x++) {
                        if (y >= 0 && y < 5 && x >= 0 && x < 5) {
                            s += in[0][y][x];
                            n++;
                            hi = Math.max(hi, in[0][y][x]);
                            lo = Math.min(lo, in[0][y][x]);
                        }
                    }
                }
                assertThat((double) avg[0][oy][ox]).as("average at %d,%d", oy, ox).isCloseTo(s / n, within(1e-5));
                assertThat((double) max[0][oy][ox]).as("max at %d,%d", oy, ox).isCloseTo(hi, within(1e-6));
                assertThat((double) min[0][oy][ox]).as("min at %d,%d", oy, ox).isCloseTo(lo, within(1e-6));
            }
        }
    }
}
