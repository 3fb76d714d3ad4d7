package org.jbia.train.backend.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbia.train.backend.dl4j.GraphChecks.assertClose;
import static org.jbia.train.backend.dl4j.GraphChecks.batch;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.TrainSpec;
import org.jbia.train.backend.TrainableModel;
import org.jbia.train.model.BinaryLoss;
import org.jbia.train.model.Layer;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.OptimizerSpec;
import org.jbia.train.model.PoolType;
import org.jbia.train.model.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * jBIA's convolution, dense, LRN and batch-norm layers against DL4J's own layers on the same weights
 * and data: outputs, every gradient (batch-norm running statistics included) and three training steps.
 */
class KerasLayersTest {
    private static final Dl4jBackend BACKEND = Dl4jBackend.instance();

    /**
     * Conv → pool → LRN → conv → BN → ReLU → dense → BN (on features) → dense → output; no dropout. The
     * LRN has pyBIA's constants: DL4J's own LRN gradient is off by a term of order alpha (5% at alpha
     * 0.1), so larger alphas are checked against finite differences instead.
     */
    private static NetworkSpec net() {
        return new NetworkSpec("t", Shape.image(13, 13, 3), List.of(
                // 13 px, kernel 4, stride 2: 'same' pads 1 before and 2 after
                new Layer.Conv(8, 4, 2, "relu", "glorot_uniform", true, 0),
                new Layer.Pool(PoolType.MAX, 2, 2),
                new Layer.LocalResponse(5, 2, 1e-4, 0.75),
                // 4 px, stride 2: a 2x2 output, which takes jBIA's matrix-product backward pass with the input
                // gradient ('same' pads 0 before and 1 after); the first convolution takes the weights-only one
                new Layer.Conv(16, 3, 2, "linear", "glorot_uniform", false, 0),
                new Layer.BatchNorm(0.9, 1e-3),
                new Layer.Act("relu"),
                new Layer.Flatten(),
                new Layer.Dense(32, "relu", "glorot_uniform", 0),
                new Layer.BatchNorm(0.99, 1e-3),
                new Layer.Dense(16, "tanh", "glorot_uniform", 0),
                new Layer.Output("glorot_uniform")));
    }

    /** SGD with momentum and a learning rate large enough for three steps to move every parameter. */
    private static final OptimizerSpec SGD = new OptimizerSpec("sgd", 0.05, 0.9, false, 0, 0.9, 0.999, false, 0.9,
            OptimizerSpec.KERAS_EPSILON);

    private static ComputationGraphConfiguration configuration() {
        return Dl4jGraphs.configure(net(), SGD, BinaryLoss.of("binary_crossentropy", null), 3);
    }

    /** The same configuration with DL4J's own layer classes, and the ReLU after a batch norm a layer of its own. */
    private static ComputationGraphConfiguration stock() {
        ComputationGraphConfiguration c = Dl4jGraphs.configure(net(), SGD, BinaryLoss.of("binary_crossentropy", null),
                3, false);
        int replaced = 0;
        for (GraphVertex v : c.getVertices().values()) {
            if (v instanceof LayerVertex lv) {
                var layer = lv.getLayerConf().getLayer();
                var original = layer instanceof KerasDense ? Dl4jLayers.copy(layer, new DenseLayer())
                        : layer instanceof KerasLrn ? Dl4jLayers.copy(layer, new LocalResponseNormalization())
                        : layer instanceof KerasBatchNorm ? Dl4jLayers.copy(layer, new BatchNormalization())
                        : layer instanceof KerasConv ? Dl4jLayers.copy(layer, new ConvolutionLayer())
                        : layer instanceof KerasPool ? Dl4jLayers.copy(layer, new SubsamplingLayer())
                        : layer instanceof KerasGlobalPool ? Dl4jLayers.copy(layer, new GlobalPoolingLayer())
                        : layer;
                if (original != layer) {
                    lv.getLayerConf().setLayer(original);
                    replaced++;
                }
            }
        }
        assertThat(replaced).isEqualTo(8);
        return c;
    }

    private static ComputationGraph[] pair() {
        ComputationGraph ours = new ComputationGraph(configuration());
        ours.init();
        ComputationGraph theirs = new ComputationGraph(stock());
        theirs.init();
        // non-trivial batch-norm γ, β and running statistics, not the initial 1, 0, 0, 1
        Nd4j.getRandom().setSeed(11);
        INDArray p = Nd4j.rand(DataType.FLOAT, ours.params().shape()).subi(0.5).muli(0.4);
        ours.setParams(p);
        theirs.setParams(p.dup());
        return new ComputationGraph[] {ours, theirs};
    }



    /**
     * Every vertex's output; where ours fused a batch norm and the ReLU after it, the fused layer's output
     * against the stock ReLU's (named one number on: the fused graph keeps the unfused names).
     */
    private static void assertSameActivations(String what, Map<String, INDArray> ours, Map<String, INDArray> theirs) {
        int fused = 0;
        for (String name : theirs.keySet()) {
            if (!ours.containsKey(name)) {
                assertThat(name).as("a vertex only the stock graph has").endsWith("_activation");
                continue;
            }
            String expected = name;
            if (name.endsWith("_batch_norm")) {
                String next = String.format("%03d_activation", Integer.parseInt(name.substring(0, 3)) + 1);
                if (!ours.containsKey(next) && theirs.containsKey(next)) {
                    expected = next;
                    fused++;
                }
            }
            assertClose(what + " activations of " + name, ours.get(name), theirs.get(expected));
        }
        assertThat(fused).as("batch norms with a fused ReLU").isEqualTo(1);
    }

    @Test
    void usesJbiaLayerImplementations() {
        ComputationGraph g = pair()[0];
        List<String> kinds = java.util.Arrays.stream(g.getLayers()).map(l -> l.getClass().getSimpleName()).toList();
        assertThat(kinds).contains("KerasConvLayer", "KerasDenseLayer", "KerasLrnLayer", "KerasBatchNormLayer");
    }

    @Test
    void inferenceOutputsMatchDl4jLayers() {
        ComputationGraph[] g = pair();
        INDArray x = batch(6)[0];
        assertClose("inference output", g[0].outputSingle(false, x), g[1].outputSingle(false, x));
        assertSameActivations("inference", g[0].feedForward(x, false), g[1].feedForward(x, false));
    }

    /** With oneDNN 2.5's convolutions, and without them (libnd4j's forward, jBIA's matrix-product backward). */
    @ParameterizedTest(name = "oneDNN 2.5 convolutions {0}")
    @ValueSource(booleans = {true, false})
    void trainingActivationsAndEveryGradientMatchDl4jLayers(boolean onednn25) {
        String before = System.setProperty(DnnlConvolution.ENABLED_PROPERTY, Boolean.toString(onednn25));
        try {
            trainingActivationsAndEveryGradientMatchDl4jLayers();
        } finally {
            if (before == null) {
                System.clearProperty(DnnlConvolution.ENABLED_PROPERTY);
            } else {
                System.setProperty(DnnlConvolution.ENABLED_PROPERTY, before);
            }
        }
    }

    private void trainingActivationsAndEveryGradientMatchDl4jLayers() {
        ComputationGraph[] g = pair();
        INDArray[] b = batch(8);
        assertSameActivations("training", g[0].feedForward(b[0], true), g[1].feedForward(b[0], true));
        for (ComputationGraph graph : g) {
            graph.setInputs(b[0]);
            graph.setLabels(b[1]);
            graph.computeGradientAndScore();
        }
        assertThat(g[0].score()).isCloseTo(g[1].score(), org.assertj.core.api.Assertions.within(1e-5));
        Map<String, INDArray> expected = g[1].gradient().gradientForVariable();
        Map<String, INDArray> actual = g[0].gradient().gradientForVariable();
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(expected.keySet()).anyMatch(k -> k.endsWith("_mean")).anyMatch(k -> k.endsWith("_W"));
        for (String name : expected.keySet()) {
            assertClose("gradient " + name, actual.get(name), expected.get(name));
        }
    }

    @Test
    void trainingStepsKeepParametersAndRunningStatisticsEqual() {
        ComputationGraph[] g = pair();
        INDArray[] b = batch(8);
        INDArray before = g[0].params().dup();
        for (int step = 0; step < 3; step++) {
            g[0].fit(new INDArray[] {b[0]}, new INDArray[] {b[1]});
            g[1].fit(new INDArray[] {b[0]}, new INDArray[] {b[1]});
        }
        INDArray moved = g[1].params().sub(before);
        assertThat(moved.amaxNumber().doubleValue()).as("the steps move the parameters").isGreaterThan(1e-2);
        // relative to how far the parameters moved, not to their size
        double diff = g[0].params().sub(g[1].params()).amaxNumber().doubleValue();
        assertThat(diff).as("parameters after 3 steps").isLessThan(1e-3 * moved.amaxNumber().doubleValue());
        assertClose("inference after 3 steps", g[0].outputSingle(false, b[0]), g[1].outputSingle(false, b[0]));
    }

    /** TensorFlow's LRN in double, channel by channel, for finite differences. */
    private static double[] lrn(double[] x, int channels, int plane, int radius, double bias, double alpha,
                                double beta) {
        double[] y = new double[x.length];
        int images = x.length / (channels * plane);
        for (int i = 0; i < images; i++) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < plane; p++) {
                    double sum = 0;
                    for (int d = Math.max(0, c - radius); d <= Math.min(channels - 1, c + radius); d++) {
                        double v = x[(i * channels + d) * plane + p];
                        sum += v * v;
                    }
                    int at = (i * channels + c) * plane + p;
                    y[at] = x[at] / Math.pow(bias + alpha * sum, beta);
                }
            }
        }
        return y;
    }

    @Test
    void lrnKernelMatchesTensorFlowsFormulaAndItsFiniteDifferences() {
        int images = 2;
        int channels = 9;
        int plane = 4;
        int radius = 2;
        double bias = 1.5;
        double alpha = 0.1;
        double beta = 0.6;
        java.util.Random r = new java.util.Random(3);
        float[] x = new float[images * channels * plane];
        float[] g = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 2);
            g[i] = (float) r.nextGaussian();
        }
        LrnKernel kernel = new LrnKernel(radius, bias, alpha, beta);
        long[] shape = {images, channels, 2, plane / 2};
        INDArray xs = Nd4j.createFromArray(x).reshape(shape);
        INDArray ys = Nd4j.create(DataType.FLOAT, shape);
        INDArray dxs = Nd4j.create(DataType.FLOAT, shape);
        kernel.forward(HostFloats.Images.of(xs), HostFloats.Images.of(ys), channels, plane);
        kernel.backward(HostFloats.Images.of(xs), HostFloats.Images.of(Nd4j.createFromArray(g).reshape(shape)),
                HostFloats.Images.of(dxs), channels, plane);
        float[] y = HostFloats.read(ys);
        float[] dx = HostFloats.read(dxs);
        double[] xd = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xd[i] = x[i];
        }
        double[] expected = lrn(xd, channels, plane, radius, bias, alpha, beta);
        for (int i = 0; i < x.length; i++) {
            assertThat((double) y[i]).as("output %d", i).isCloseTo(expected[i],
                    org.assertj.core.api.Assertions.within(1e-5 * Math.abs(expected[i]) + 1e-6));
        }
        double h = 1e-5;
        double largest = 0;
        double[] numeric = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            double[] plus = xd.clone();
            double[] minus = xd.clone();
            plus[j] += h;
            minus[j] -= h;
            double[] yp = lrn(plus, channels, plane, radius, bias, alpha, beta);
            double[] ym = lrn(minus, channels, plane, radius, bias, alpha, beta);
            for (int i = 0; i < x.length; i++) {
                numeric[j] += g[i] * (yp[i] - ym[i]) / (2 * h);
            }
            largest = Math.max(largest, Math.abs(numeric[j]));
        }
        for (int j = 0; j < x.length; j++) {
            assertThat((double) dx[j]).as("gradient %d", j).isCloseTo(numeric[j],
                    org.assertj.core.api.Assertions.within(GraphChecks.RELATIVE * largest));
        }
    }

    @Test
    void savedModelReloadsWithTheSameLayersAndPredictions() {
        ImageStack images = ImageStack.zeros(4, 13, 13, 3);
        for (int i = 0; i < images.pixels().length; i++) {
            images.pixels()[i] = (i % 17) / 17f;
        }
        try (TrainableModel model = BACKEND.create(net(), OptimizerSpec.of(TrainSpec.defaults()),
                BinaryLoss.of("binary_crossentropy", null), 3)) {
            model.fit(images, new float[] {1, 0, 1, 0});
            try (Dl4jModel back = (Dl4jModel) BACKEND.load(net(), model.save())) {
                assertThat(back.predict(images)).containsExactly(model.predict(images));
                assertThat(java.util.Arrays.stream(back.graph().getLayers()).map(l -> l.getClass().getSimpleName()))
                        .contains("KerasDenseLayer", "KerasLrnLayer", "KerasBatchNormLayer");
            }
        }
    }
}
