package org.jbia.train.backend.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jbia.train.backend.dl4j.GraphChecks.assertClose;
import static org.jbia.train.backend.dl4j.GraphChecks.batch;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.jbia.common.schema.TrainSpec;
import org.jbia.train.model.BinaryLoss;
import org.jbia.train.model.Layer;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.Networks;
import org.jbia.train.model.OptimizerSpec;
import org.jbia.train.model.PoolType;
import org.jbia.train.model.Shape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The channel-blocked layout between jBIA's layers: which arrays a graph's plan blocks, where a blocked
 * array's elements lie, and that a network computes the same outputs, gradients and training steps with
 * its plan applied as with every array plain.
 */
class ChannelBlocksTest {
    private static final Dl4jBackend BACKEND = Dl4jBackend.instance();
    private static final OptimizerSpec SGD = new OptimizerSpec("sgd", 0.05, 0.9, false, 0, 0.9, 0.999, false, 0.9,
            OptimizerSpec.KERAS_EPSILON);

    /**
     * 16 and 32 channels throughout: stem → max pool → identity block → projection block (stride 2) →
     * average pool → global average pool → dense → output.
     */
    static NetworkSpec residual() {
        Layer.Conv c16 = new Layer.Conv(16, 3, 1, "linear", "glorot_uniform", false, 0);
        return new NetworkSpec("r", Shape.image(13, 13, 3), List.of(
                c16, new Layer.BatchNorm(0.9, 1e-3), new Layer.Act("relu"),
                new Layer.Pool(PoolType.MAX, 3, 2),
                new Layer.Residual(List.of(c16, new Layer.BatchNorm(0.9, 1e-3), new Layer.Act("relu"), c16,
                        new Layer.BatchNorm(0.9, 1e-3)), List.of(), "relu"),
                new Layer.Residual(List.of(new Layer.Conv(32, 3, 2, "linear", "glorot_uniform", false, 0),
                        new Layer.BatchNorm(0.9, 1e-3), new Layer.Act("relu"),
                        new Layer.Conv(32, 3, 1, "linear", "glorot_uniform", false, 0),
                        new Layer.BatchNorm(0.9, 1e-3)),
                        List.of(new Layer.Conv(32, 1, 2, "linear", "glorot_uniform", false, 0),
                                new Layer.BatchNorm(0.9, 1e-3)), "relu"),
                new Layer.Pool(PoolType.AVERAGE, 3, 2), // 4 px: pads one pixel after, left out of the average
                new Layer.GlobalAveragePool(),
                new Layer.Dense(8, "relu", "glorot_uniform", 0),
                new Layer.Output("glorot_uniform")));
    }

    /** Each vertex's layouts in name order: "p>B" a convolution from plain to blocked, "B" a batch norm or pool. */
    private static Map<String, String> plan(ComputationGraphConfiguration conf) {
        Map<String, String> plan = new TreeMap<>();
        conf.getVertices().forEach((name, v) -> {
            var layer = v instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
            String layout = layer instanceof KerasConv c ? (c.isBlockedInput() ? "B" : "p") + ">"
                    + (c.isBlockedOutput() ? "B" : "p")
                    : layer instanceof KerasBatchNorm b ? (b.isBlocked() ? "B" : "p")
                    : layer instanceof KerasPool p ? (p.isBlocked() ? "B" : "p")
                    : layer instanceof KerasGlobalPool p ? (p.isBlockedInput() ? "B" : "p") + ">p"
                    : null;
            if (layout != null) {
                plan.put(name, layout);
            }
        });
        return plan;
    }

    private static ComputationGraphConfiguration configure(NetworkSpec net) {
        return Dl4jGraphs.configure(net, SGD, BinaryLoss.of("binary_crossentropy", null), 3);
    }

    @Test
    void planBlocksEveryArrayFromResNetsStemToItsGlobalPool() {
        NetworkSpec net = Networks.build("resnet18", Map.of(), 67, 67, 3);
        Map<String, String> plan = plan(configure(net));
        assertThat(plan.get("000_conv")).as("the stem reads the network's plain input").isEqualTo("p>B");
        assertThat(plan.get("066_global_average_pool")).isEqualTo("B>p");
        assertThat(plan.values().stream().filter(l -> !l.equals("B") && !l.equals("B>B")).toList())
                .as("every other layer blocked in and out").containsExactlyInAnyOrder("p>B", "B>p");
        assertThat(plan).hasSize(20 + 20 + 1 + 1);
    }

    @Test
    void convolutionsBlockedInAndOutKeepBlockedKernels() {
        assumeTrue(ChannelBlocks.usable(), "oneDNN 2.5's blocked kernels run here");
        Map<String, Integer> kernels = new TreeMap<>();
        configure(Networks.build("resnet18", Map.of(), 67, 67, 3)).getVertices().forEach((name, v) -> {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof KerasConv c) {
                kernels.put(name, c.getKernelBlock());
            }
        });
        assertThat(kernels).hasSize(20).containsEntry("000_conv", 0);
        assertThat(kernels.values().stream().filter(b -> b == ChannelBlocks.active().block).count())
                .as("all but the stem, in this processor's tiles").isEqualTo(19);
    }

    @Test
    void blockedKernelsLieWhereOneDnnLooksForThem() {
        assumeTrue(DnnlConvolution.enabled(), "oneDNN 2.5 runs here");
        for (ChannelBlocks.Layout layout : ChannelBlocks.Layout.values()) {
            Nd4j.getRandom().setSeed(9);
            long[] shape = {32, 48, 3, 2};
            INDArray plain = Nd4j.rand(DataType.FLOAT, shape);
            INDArray expected = Nd4j.createUninitialized(DataType.FLOAT, shape);
            var engine = DnnlConvolution.engine();
            try (var a = new memory(new memory.desc(shape, memory.data_type.f32, memory.format_tag.oihw), engine,
                    plain.data().addressPointer());
                 var b = new memory(new memory.desc(shape, memory.data_type.f32, layout.kernels), engine,
                         expected.data().addressPointer());
                 var r = new reorder(a, b)) {
                var stream = DnnlConvolution.stream();
                r.execute(stream, a, b);
                stream._wait();
            }
            INDArray blocked = Nd4j.createUninitialized(DataType.FLOAT, shape);
            ChannelBlocks.kernelsToBlocked(plain, blocked, layout.block);
            assertThat(blocked).as("oneDNN's own reorder to %s", layout.kernels).isEqualTo(expected);
            INDArray back = Nd4j.createUninitialized(DataType.FLOAT, shape);
            ChannelBlocks.kernelsToPlain(blocked, back, layout.block);
            assertThat(back).isEqualTo(plain);
            INDArray inPlace = plain.dup();
            ChannelBlocks.kernelsToBlocked(inPlace, inPlace, layout.block);
            assertThat(inPlace).isEqualTo(expected);
        }
        // element (o=17, i=33, y=2, x=1) of 32×48×3×2 kernels: in 16-channel tiles, tile (1, 2), position
        // (2, 1), then input 1 and output 1 in the tile; in 8-channel ones, tile (2, 4), input 1, output 1
        assertThat(ChannelBlocks.kernelIndex(17, 33, 2, 1, 48, 3, 2, 16))
                .isEqualTo(((1 * 3 + 2) * 6 + 2 * 2 + 1) * 256 + 16 + 1);
        assertThat(ChannelBlocks.kernelIndex(17, 33, 2, 1, 48, 3, 2, 8))
                .isEqualTo(((2 * 6 + 4) * 6 + 2 * 2 + 1) * 64 + 8 + 1);
    }

    @Test
    void refusesKernelsThatDoNotFillTiles() {
        assertThatThrownBy(() -> ChannelBlocks.kernelsToBlocked(Nd4j.zeros(DataType.FLOAT, 32, 20, 3, 3),
                Nd4j.zeros(DataType.FLOAT, 32, 20, 3, 3), 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiples of 8 output and input channels").hasMessageContaining("[32, 20, 3, 3]");
        assertThatThrownBy(() -> ChannelBlocks.kernelsToPlain(Nd4j.zeros(DataType.FLOAT, 32, 24, 3, 3),
                Nd4j.zeros(DataType.FLOAT, 32, 24, 3, 3), 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiples of 16 output and input channels").hasMessageContaining("[32, 24, 3, 3]");
        assertThatThrownBy(() -> ChannelBlocks.kernelsToBlocked(Nd4j.zeros(DataType.FLOAT, 48, 48, 3, 3),
                Nd4j.zeros(DataType.FLOAT, 48, 48, 3, 3), 12)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel block of 12 channels").hasMessageContaining("allowed are 16 and 8");
        assertThatThrownBy(() -> new KerasConv().setKernelBlock(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel block of 4 channels");
    }

    @Test
    void thisProcessorBlocksInTheLayoutItsOneDnnKernelsRunIn() {
        assumeTrue(DnnlConvolution.enabled(), "oneDNN 2.5 runs here");
        ChannelBlocks.Layout layout = ChannelBlocks.layout();
        assertThat(layout).as("AVX2 or AVX-512: oneDNN 2.5 has blocked kernels for one of the layouts").isNotNull();
        var g = DnnlConvolution.Geometry.same(2, 32, 6, 6, 32, 3, 3, 1, 1, false);
        try (DnnlConvolution conv = DnnlConvolution.forGeometry(g, true, true, true)) {
            assertThat(conv).as("a blocked convolution in %s", layout).isNotNull();
            assertThat(conv.backwardAvailable(true)).isTrue();
        }
        assertThat(BACKEND.describe()).as("the start-up line").contains("convolutions on oneDNN 2.5 ("
                + layout.block + "-channel blocks)");
        if (layout == ChannelBlocks.Layout.EIGHT) {
            // no optimised 16-channel kernels here, or the probe would have taken them
            assertThat(DnnlConvolution.forGeometry(g, ChannelBlocks.Layout.SIXTEEN, true, true, true)).isNull();
        }
    }

    /**
     * The residual network twice on the same weights: with every convolution's kernels stored plain, and
     * with them stored blocked where the plan says.
     */
    private static ComputationGraph[] kernelPair() {
        ComputationGraphConfiguration blockedConf = configure(residual());
        ComputationGraphConfiguration plainConf = blockedConf.clone();
        long converted = plainConf.getVertices().values().stream()
                .filter(v -> v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof KerasConv c
                        && c.hasBlockedKernels())
                .peek(v -> ((KerasConv) ((LayerVertex) v).getLayerConf().getLayer()).setKernelBlock(0))
                .count();
        assertThat(converted).as("every convolution but the stem").isEqualTo(5);
        ComputationGraph plain = new ComputationGraph(plainConf);
        plain.init();
        ComputationGraph blocked = new ComputationGraph(blockedConf);
        blocked.init();
        Nd4j.getRandom().setSeed(13);
        INDArray p = Nd4j.rand(DataType.FLOAT, plain.params().shape()).subi(0.5).muli(0.4);
        plain.setParams(p);
        blocked.setParams(p.dup());
        for (var layer : blocked.getLayers()) {
            if (layer.conf().getLayer() instanceof KerasConv c && c.hasBlockedKernels()) {
                INDArray w = layer.getParam("W");
                ChannelBlocks.kernelsToBlocked(w, w, c.getKernelBlock());
            }
        }
        return new ComputationGraph[] {plain, blocked};
    }

    /** The graph's parameters (or, with {@code gradients}, their gradients), every kernel plain. */
    private static Map<String, INDArray> plainKernelsOf(ComputationGraph g, boolean gradients) {
        Map<String, INDArray> out = new TreeMap<>();
        for (var layer : g.getLayers()) {
            Map<String, INDArray> table = gradients ? g.gradient().gradientForVariable() : null;
            for (String name : layer.paramTable().keySet()) {
                INDArray a = gradients ? table.get(layer.conf().getLayer().getLayerName() + "_" + name)
                        : layer.getParam(name);
                if (a == null) {
                    continue;
                }
                if (name.equals("W") && layer.conf().getLayer() instanceof KerasConv c && c.hasBlockedKernels()) {
                    INDArray plain = Nd4j.createUninitialized(DataType.FLOAT, a.shape());
                    ChannelBlocks.kernelsToPlain(a, plain, c.getKernelBlock());
                    a = plain;
                }
                out.put(layer.conf().getLayer().getLayerName() + "_" + name, a.dup());
            }
        }
        return out;
    }

    @Test
    void blockedKernelsComputeAndTrainAsPlainOnes() {
        assumeTrue(ChannelBlocks.usable(), "oneDNN 2.5's blocked kernels run here");
        kernelsComputeAndTrainAlike();
    }

    @Test
    void blockedKernelsReachPathsWithoutOneDnnAsPlainCopies() {
        assumeTrue(ChannelBlocks.usable(), "oneDNN 2.5's blocked kernels run here");
        withoutOneDnnPlans(ChannelBlocksTest::kernelsComputeAndTrainAlike);
    }

    /** Runs {@code body} with every new oneDNN plan missing, as on a processor without its kernels. */
    private static void withoutOneDnnPlans(Runnable body) {
        ShapePlans.missingForTests = true;
        try {
            body.run();
        } finally {
            ShapePlans.missingForTests = false;
        }
    }

    private static void kernelsComputeAndTrainAlike() {
        ComputationGraph[] g = kernelPair();
        INDArray[] b = batch(8);
        assertClose("inference output", g[1].outputSingle(false, b[0]), g[0].outputSingle(false, b[0]));
        for (ComputationGraph graph : g) {
            graph.setInputs(b[0]);
            graph.setLabels(b[1]);
            graph.computeGradientAndScore();
        }
        assertThat(g[1].score()).isCloseTo(g[0].score(), org.assertj.core.api.Assertions.within(1e-5));
        Map<String, INDArray> plainGradients = plainKernelsOf(g[0], true);
        Map<String, INDArray> blockedGradients = plainKernelsOf(g[1], true);
        assertThat(blockedGradients.keySet()).containsExactlyElementsOf(plainGradients.keySet())
                .contains("004_conv_W", "016_conv_W");
        plainGradients.forEach((name, expected) -> assertClose("gradient " + name, blockedGradients.get(name),
                expected));

        INDArray before = g[0].params().dup();
        for (int step = 0; step < 3; step++) {
            for (ComputationGraph graph : g) {
                graph.fit(new INDArray[] {b[0]}, new INDArray[] {b[1]});
            }
        }
        assertThat(g[0].params().sub(before).amaxNumber().doubleValue()).as("the steps move the parameters")
                .isGreaterThan(1e-2);
        Map<String, INDArray> plainParams = plainKernelsOf(g[0], false);
        plainKernelsOf(g[1], false).forEach((name, actual) -> assertClose("parameter " + name + " after 3 steps",
                actual, plainParams.get(name)));
    }

    @Test
    void planKeepsArraysThatReachDl4jLayersPlain() {
        // AlexNet: LRN after the first two convolutions, and the flatten before the dense layers
        Map<String, String> plan = plan(configure(Networks.build("alexnet", Map.of(), 67, 67, 3)));
        assertThat(plan).containsEntry("000_conv", "p>p").containsEntry("001_max_pool", "p")
                .containsEntry("003_conv", "p>p").containsEntry("006_conv", "p>B").containsEntry("007_conv", "B>B")
                .containsEntry("008_conv", "B>p").containsEntry("009_max_pool", "p");
        // channels that do not fill 16-channel blocks stay plain
        NetworkSpec odd = new NetworkSpec("o", Shape.image(13, 13, 3), List.of(
                new Layer.Conv(20, 3, 1, "relu", "glorot_uniform", true, 0),
                new Layer.Conv(20, 3, 1, "relu", "glorot_uniform", true, 0),
                new Layer.GlobalAveragePool(), new Layer.Output("glorot_uniform")));
        assertThat(plan(configure(odd))).containsEntry("000_conv", "p>p").containsEntry("001_conv", "p>p")
                .containsEntry("002_global_average_pool", "p>p");
    }

    @Test
    void blockedArraysHoldBlocksOfChannelsPixelByPixel() {
        assumeTrue(ChannelBlocks.usable(), "oneDNN 2.5's blocked kernels run here");
        int block = ChannelBlocks.active().block;
        int n = 2;
        int c = 32;
        int h = 3;
        int w = 5;
        INDArray plain = Nd4j.rand(DataType.FLOAT, n, c, h, w);
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
        INDArray blocked = ChannelBlocks.toBlocked(plain, none, ArrayType.ACTIVATIONS);
        assertThat(blocked.shape()).containsExactly(n, c, h, w);
        float[] flat = blocked.data().asFloat();
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int at = i * c * h * w + (ch / block) * h * w * block + (y * w + x) * block + ch % block;
                        assertThat(flat[at]).as("[%d, %d, %d, %d]", i, ch, y, x)
                                .isEqualTo(plain.getFloat(i, ch, y, x));
                    }
                }
            }
        }
        assertThat(ChannelBlocks.toPlain(blocked, none, ArrayType.ACTIVATIONS)).isEqualTo(plain);
    }

    @Test
    void refusesArraysWhoseChannelsDoNotFillBlocks() {
        assumeTrue(ChannelBlocks.usable(), "oneDNN 2.5's blocked kernels run here");
        INDArray twenty = Nd4j.zeros(DataType.FLOAT, 2, 20, 3, 3);
        assertThatThrownBy(() -> ChannelBlocks.toBlocked(twenty, LayerWorkspaceMgr.noWorkspaces(),
                ArrayType.ACTIVATIONS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of 16 channels").hasMessageContaining("[2,20,3,3]");
        assertThatThrownBy(() -> DnnlBatchNorm.forShape(new long[] {2, 20, 3, 3}, 1e-3, false))
                .hasMessageContaining("multiple of 16 channels").hasMessageContaining("[2, 20, 3, 3]");
        assertThatThrownBy(() -> DnnlPooling.forShape(new long[] {2, 20, 3, 3}, true, 3, 2))
                .hasMessageContaining("multiple of 16 channels").hasMessageContaining("[2, 20, 3, 3]");
    }

    /** Runs {@code body} with the blocked layouts switched on or off. */
    private static <T> T withBlocks(boolean on, Supplier<T> body) {
        String before = System.setProperty(ChannelBlocks.ENABLED_PROPERTY, Boolean.toString(on));
        try {
            return body.get();
        } finally {
            if (before == null) {
                System.clearProperty(ChannelBlocks.ENABLED_PROPERTY);
            } else {
                System.setProperty(ChannelBlocks.ENABLED_PROPERTY, before);
            }
        }
    }

    /** Two copies of the residual network on the same non-trivial parameters. */
    private static ComputationGraph[] pair() {
        ComputationGraphConfiguration conf = configure(residual());
        assertThat(plan(conf).values()).as("the residual test network is blocked throughout")
                .containsOnly("p>B", "B", "B>B", "B>p");
        ComputationGraph plain = new ComputationGraph(conf.clone());
        plain.init();
        ComputationGraph blocked = new ComputationGraph(conf.clone());
        blocked.init();
        Nd4j.getRandom().setSeed(11);
        INDArray p = Nd4j.rand(DataType.FLOAT, plain.params().shape()).subi(0.5).muli(0.4);
        plain.setParams(p);
        blocked.setParams(p.dup());
        return new ComputationGraph[] {plain, blocked};
    }



    @Test
    void blockedNetworkComputesWhatThePlainOneDoes() {
        assumeTrue(ChannelBlocks.usable(), "oneDNN 2.5's blocked kernels run here");
        ComputationGraph[] g = pair();
        INDArray[] b = batch(8);
        INDArray expected = withBlocks(false, () -> g[0].outputSingle(false, b[0]));
        assertClose("inference output", withBlocks(true, () -> g[1].outputSingle(false, b[0])), expected);

        for (int k = 0; k < 2; k++) {
            ComputationGraph graph = g[k];
            withBlocks(k == 1, () -> {
                graph.setInputs(b[0]);
                graph.setLabels(b[1]);
                graph.computeGradientAndScore();
                return null;
            });
        }
        assertThat(g[1].score()).isCloseTo(g[0].score(), org.assertj.core.api.Assertions.within(1e-5));
        Map<String, INDArray> plainGradients = g[0].gradient().gradientForVariable();
        Map<String, INDArray> blockedGradients = g[1].gradient().gradientForVariable();
        assertThat(blockedGradients.keySet()).containsExactlyInAnyOrderElementsOf(plainGradients.keySet());
        assertThat(plainGradients.keySet()).anyMatch(k -> k.endsWith("_mean")).anyMatch(k -> k.endsWith("_gamma"))
                .anyMatch(k -> k.startsWith("000_conv"));
        for (String name : plainGradients.keySet()) {
            assertClose("gradient " + name, blockedGradients.get(name), plainGradients.get(name));
        }
    }

    @Test
    void layersWithoutOneDnnKernelsTakeTheirPlainPathsThroughCopies() {
        assumeTrue(ChannelBlocks.usable(), "oneDNN 2.5's blocked kernels run here");
        // convolutions on libnd4j and jBIA's own backward passes, batch norm on the Java kernel, pooling on
        // DL4J's: with blocked arrays each reads plain copies and writes blocked results
        withoutOneDnnPlans(this::blockedNetworkComputesWhatThePlainOneDoes);
    }

    @Test
    void blockedTrainingStepsKeepParametersAndRunningStatisticsEqual() {
        assumeTrue(ChannelBlocks.usable(), "oneDNN 2.5's blocked kernels run here");
        ComputationGraph[] g = pair();
        INDArray[] b = batch(8);
        INDArray before = g[0].params().dup();
        for (int step = 0; step < 3; step++) {
            withBlocks(false, () -> {
                g[0].fit(new INDArray[] {b[0]}, new INDArray[] {b[1]});
                return null;
            });
            withBlocks(true, () -> {
                g[1].fit(new INDArray[] {b[0]}, new INDArray[] {b[1]});
                return null;
            });
        }
        INDArray moved = g[0].params().sub(before);
        assertThat(moved.amaxNumber().doubleValue()).as("the steps move the parameters").isGreaterThan(1e-2);
        double diff = g[1].params().sub(g[0].params()).amaxNumber().doubleValue();
        assertThat(diff).as("parameters after 3 steps").isLessThan(1e-3 * moved.amaxNumber().doubleValue());
        assertClose("inference after 3 steps", withBlocks(true, () -> g[1].outputSingle(false, b[0])),
                withBlocks(false, () -> g[0].outputSingle(false, b[0])));
    }

    @Test
    void aModelWithBlockedKernelsLoadsWithPlainOnesWhereBlockedKernelsDoNotRun() {
        assumeTrue(ChannelBlocks.usable(), "oneDNN 2.5's blocked kernels run here");
        NetworkSpec net = residual();
        try (Dl4jModel model = (Dl4jModel) BACKEND.create(net, SGD, BinaryLoss.of("binary_crossentropy", null), 3)) {
            ComputationGraph g = model.graph();
            INDArray x = batch(4)[0];
            INDArray expected = g.outputSingle(false, x);
            Map<String, INDArray> kernels = plainKernelsOf(g, false);
            byte[] saved = model.save();

            try (Dl4jModel again = (Dl4jModel) BACKEND.load(net, saved)) {
                assertThat(plan(again.graph().getConfiguration())).isEqualTo(plan(g.getConfiguration()));
                assertThat(again.graph().getLayers()).filteredOn(l -> l.conf().getLayer() instanceof KerasConv c
                        && c.hasBlockedKernels()).as("kept blocked where they run").hasSize(5);
            }
            try (Dl4jModel plain = withBlocks(false, () -> (Dl4jModel) BACKEND.load(net, saved))) {
                ComputationGraph p = plain.graph();
                assertThat(p.getLayers()).noneMatch(l -> l.conf().getLayer() instanceof KerasConv c
                        && c.hasBlockedKernels());
                assertThat(p.getConfiguration().getVertices().values()).noneMatch(v -> v instanceof LayerVertex lv
                        && lv.getLayerConf().getLayer() instanceof KerasConv c && c.hasBlockedKernels());
                // the stored kernels themselves are now plain: read as plain, they are the model's kernels
                Map<String, INDArray> stored = new TreeMap<>();
                for (var l : p.getLayers()) {
                    l.paramTable().forEach((name, a) -> stored.put(l.conf().getLayer().getLayerName() + "_" + name, a));
                }
                kernels.forEach((name, a) -> assertThat(stored.get(name)).as(name).isEqualTo(a));
                assertClose("predictions", withBlocks(false, () -> p.outputSingle(false, x)), expected);
            }
        }
    }

    @Test
    void aModelTiledForAnotherProcessorLoadsRetiledForThisOne() {
        assumeTrue(ChannelBlocks.usable(), "oneDNN 2.5's blocked kernels run here");
        int here = ChannelBlocks.active().block;
        int there = here == 16 ? 8 : 16;
        NetworkSpec net = residual();
        try (Dl4jModel model = (Dl4jModel) BACKEND.create(net, SGD, BinaryLoss.of("binary_crossentropy", null), 3)) {
            ComputationGraph g = model.graph();
            INDArray x = batch(4)[0];
            INDArray expected = g.outputSingle(false, x);
            Map<String, INDArray> stored = new TreeMap<>();
            for (var l : g.getLayers()) {
                if (l.conf().getLayer() instanceof KerasConv c && c.hasBlockedKernels()) {
                    INDArray w = l.getParam("W");
                    stored.put(c.getLayerName(), w.dup());
                    // as a processor with the other block size would have stored them
                    ChannelBlocks.kernelsToPlain(w, w, here);
                    ChannelBlocks.kernelsToBlocked(w, w, there);
                    c.setKernelBlock(there);
                }
            }
            g.getConfiguration().getVertices().values().forEach(v -> {
                if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof KerasConv c
                        && c.hasBlockedKernels()) {
                    c.setKernelBlock(there);
                }
            });
            assertThat(stored).hasSize(5);
            assertClose("predictions through plain copies of the other tiles", g.outputSingle(false, x), expected);
            byte[] saved = model.save();

            try (Dl4jModel again = (Dl4jModel) BACKEND.load(net, saved)) {
                for (var l : again.graph().getLayers()) {
                    if (l.conf().getLayer() instanceof KerasConv c && stored.containsKey(c.getLayerName())) {
                        assertThat(c.getKernelBlock()).as(c.getLayerName()).isEqualTo(here);
                        assertThat(l.getParam("W")).as(c.getLayerName() + " re-tiled").isEqualTo(
                                stored.get(c.getLayerName()));
                    }
                }
                assertClose("predictions", again.graph().outputSingle(false, x), expected);
            }
        }
    }

    @Test
    void olderModelsBlockedKernelsAreSixteenChannelTiles() {
        ComputationGraphConfiguration conf = configure(residual());
        conf.getVertices().values().forEach(v -> {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof KerasConv c) {
                c.setKernelBlock(lv.getLayerConf().getLayer().getLayerName().equals("000_conv") ? 0 : 8);
            }
        });
        String json = conf.toJson();
        assertThat(json).contains("\"kernelBlock\" : 8").doesNotContain("blockedKernels");
        // the flag saved before 8-channel tiles, in place of the block size
        String older = json.replaceAll("\"kernelBlock\" : 8", "\"blockedKernels\" : true")
                .replaceAll("\"kernelBlock\" : 0", "\"blockedKernels\" : false");
        Map<String, Integer> blocks = new TreeMap<>();
        ComputationGraphConfiguration.fromJson(older).getVertices().forEach((name, v) -> {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof KerasConv c) {
                blocks.put(name, c.getKernelBlock());
            }
        });
        assertThat(blocks).hasSize(6).containsEntry("000_conv", 0);
        assertThat(blocks.values().stream().filter(b -> b == 16).count()).isEqualTo(5);
    }

    @Test
    void savedBlockedModelReloadsWithItsPlanAndPredictions() throws Exception {
        assumeTrue(ChannelBlocks.usable(), "oneDNN 2.5's blocked kernels run here");
        ComputationGraph g = pair()[1];
        INDArray x = batch(4)[0];
        INDArray expected = g.outputSingle(false, x);
        var out = new java.io.ByteArrayOutputStream();
        org.deeplearning4j.util.ModelSerializer.writeModel(g, out, true);
        ComputationGraph reloaded = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(
                new java.io.ByteArrayInputStream(out.toByteArray()), true);
        assertThat(plan(reloaded.getConfiguration())).isEqualTo(plan(g.getConfiguration()));
        assertThat(reloaded.outputSingle(false, x)).isEqualTo(expected);
    }
}
