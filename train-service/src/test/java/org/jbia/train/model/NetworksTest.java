package org.jbia.train.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.TrainSpec;
import org.jbia.train.backend.Backends;
import org.jbia.train.backend.TrainableModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class NetworksTest {

    private static int same(int in, int stride) {
        return (in + stride - 1) / stride;
    }

    private static long conv(int k, int in, int out) {
        return (long) k * k * in * out + out;
    }

    private static long dense(long in, int out) {
        return in * out + out;
    }

    /**
     * pyBIA's AlexNet: 5 convs (11/4, 5, 3, 3, 3 with 96, 256, 384, 384, 256 filters), three 3/2 'same'
     * pools, two 4096 dense layers, one output unit. {@code torch} is torch_ref.py's count for the same
     * network (two output units, i.e. 4096 + 1 more parameters).
     */
    @ParameterizedTest
    @CsvSource({"1,50,24711874", "1,67,29954754", "1,100,37294786", "3,50,24735106", "3,67,29977986",
            "3,100,37318018"})
    void alexnetHasPyBiasParameterCount(int bands, int size, long torch) {
        int side = same(same(same(same(size, 4), 2), 2), 2);
        long flat = (long) side * side * 256;
        long expected = conv(11, bands, 96) + conv(5, 96, 256) + conv(3, 256, 384) + conv(3, 384, 384)
                + conv(3, 384, 256) + dense(flat, 4096) + dense(4096, 4096) + dense(4096, 1);
        assertThat(expected).isEqualTo(torch - 4097);
        NetworkSpec net = Networks.build("alexnet", Map.of(), size, size, bands);
        assertThat(net.trainableParameters()).isEqualTo(expected);
        assertThat(net.stateParameters()).isZero();
    }

    /** VGG16: 13 3x3 convs in blocks of 2, 2, 3, 3, 3 (64..512 filters), five 2/2 pools, 4096, 4096, 1. */
    @ParameterizedTest
    @CsvSource({"1,50,39895746", "1,67,50381506", "1,100,65061570", "3,50,39896898", "3,67,50382658",
            "3,100,65062722"})
    void vgg16HasPyBiasParameterCount(int bands, int size, long torch) {
        int side = size;
        for (int i = 0; i < 5; i++) {
            side = same(side, 2);
        }
        long convs = conv(3, bands, 64) + conv(3, 64, 64) + conv(3, 64, 128) + conv(3, 128, 128)
                + conv(3, 128, 256) + 2 * conv(3, 256, 256) + conv(3, 256, 512) + 5 * conv(3, 512, 512);
        long expected = convs + dense((long) side * side * 512, 4096) + dense(4096, 4096) + dense(4096, 1);
        assertThat(expected).isEqualTo(torch - 4097);
        assertThat(Networks.build("vgg16", Map.of(), size, size, bands).trainableParameters()).isEqualTo(expected);
    }

    /**
     * The standard ResNet-18: bias-free convs each followed by batch norm (2 trainable parameters per
     * channel), 7x7 stem with 64 filters, stages of two basic blocks (64, 128, 256, 512), 1x1 projections
     * where the stage widens, one output unit after global average pooling; independent of the size.
     */
    @ParameterizedTest
    @CsvSource({"1,50,11171266", "1,67,11171266", "1,100,11171266", "3,50,11177538", "3,67,11177538",
            "3,100,11177538"})
    void resnet18IsTheStandardResNet18(int bands, int size, long torch) {
        long stem = 7L * 7 * bands * 64 + 2 * 64;
        long blocks = 0;
        int in = 64;
        for (int f : new int[] {64, 128, 256, 512}) {
            for (int b = 0; b < 2; b++) {
                blocks += 3L * 3 * in * f + 2 * f + 3L * 3 * f * f + 2 * f;
                if (in != f) {
                    blocks += (long) in * f + 2 * f;
                }
                in = f;
            }
        }
        long expected = stem + blocks + dense(512, 1);
        assertThat(expected).isEqualTo(torch - 513);
        NetworkSpec net = Networks.build("resnet18", Map.of(), size, size, bands);
        assertThat(net.trainableParameters()).isEqualTo(expected);
        // running mean and variance: as many as the trainable batch norm parameters
        assertThat(net.stateParameters()).isEqualTo(2L * 64 + 2 * (2 * 64 + 2 * 64) + 2 * 128 * 5 + 2 * 256 * 5
                + 2 * 512 * 5);
        assertThat(net.outputShape()).isEqualTo(Shape.flat(1));
    }

    /** custom_cnn defaults: 256 7x7 filters, BN, 3/3 average pool, 4096 dense + BN, output (no BN after). */
    @ParameterizedTest
    @CsvSource({"1,50", "1,67", "1,100", "3,50", "3,67", "3,100"})
    void customCnnDefaults(int bands, int size) {
        int side = same(size, 3);
        long expected = conv(7, bands, 256) + 2 * 256 + dense((long) side * side * 256, 4096) + 2 * 4096
                + dense(4096, 1);
        NetworkSpec net = Networks.build("custom_cnn", Map.of(), size, size, bands);
        assertThat(net.trainableParameters()).isEqualTo(expected);
        assertThat(net.layers().get(net.layers().size() - 2)).isInstanceOf(Layer.BatchNorm.class);
    }

    static List<Arguments> backendsAndNetworks() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : Backends.AVAILABLE) {
            for (String clf : List.of("alexnet", "resnet18", "vgg16", "custom_cnn")) {
                out.add(Arguments.of(backend, clf));
            }
        }
        return out;
    }

    /**
     * Every backend stores exactly the spec's parameters (trainable ones plus batch norm statistics),
     * so the backends agree with each other and, through the counts above, with the PyTorch peer.
     * custom_cnn gets LRN, a second conv with min pooling and a second dense layer.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndNetworks")
    void everyBackendStoresTheParametersOfTheSpec(String backend, String clf) {
        NetworkSpec net = "custom_cnn".equals(clf)
                ? Networks.build(clf, Map.of("filter_1", 16, "filter_2", 16, "dense_neurons_1", 16, "dense_neurons_2", 8,
                        "model_reg", "local_response", "pooling_2", "min"), 20, 20, 2)
                : Networks.build(clf, Map.of(), 67, 67, 3);
        TrainSpec spec = TrainSpec.defaults();
        try (TrainableModel model = Backends.named(backend).create(net, OptimizerSpec.of(spec), BinaryLoss.of(spec), 1)) {
            assertThat(model.parameterCount()).isEqualTo(net.trainableParameters() + net.stateParameters());
        }
    }

    @ParameterizedTest
    @CsvSource({"alexnet", "vgg16", "custom_cnn"})
    void batchNormNeverFollowsTheOutput(String clf) {
        NetworkSpec net = Networks.build(clf, Map.of("model_reg", "batch_norm", "filter_1", 12,
                "dense_neurons_1", 8), 32, 32, 1);
        assertThat(net.layers().get(net.layers().size() - 1)).isInstanceOf(Layer.Output.class);
        assertThat(net.layers()).filteredOn(l -> l instanceof Layer.BatchNorm).isNotEmpty();
    }

    @Test
    void optionsChangeTheLayers() {
        NetworkSpec net = Networks.build("alexnet", Map.of("filter_1", 12, "pooling_2", "min", "model_reg", "none",
                "dense_neurons_2", 128, "dropout_1", 0.0, "activation_conv", "elu"), 67, 67, 3);
        assertThat(net.layers().get(0)).isEqualTo(new Layer.Conv(12, 11, 4, "elu", "uniform_scaling", true, 0));
        assertThat(net.layers()).contains(new Layer.Pool(PoolType.MIN, 3, 2));
        assertThat(net.layers()).noneMatch(l -> l instanceof Layer.LocalResponse);
        assertThat(net.layers()).filteredOn(l -> l instanceof Layer.Dropout).hasSize(1);
        assertThat(net.layers()).contains(new Layer.Dense(128, "relu", "TruncatedNormal", 0));
    }

    @Test
    void customCnnAddsSecondLayersOnlyWhenAsked() {
        NetworkSpec one = Networks.build("custom_cnn", Map.of("filter_1", 12, "dense_neurons_1", 16), 20, 20, 1);
        NetworkSpec two = Networks.build("custom_cnn", Map.of("filter_1", 12, "dense_neurons_1", 16, "filter_2", 24,
                "dense_neurons_2", 8), 20, 20, 1);
        assertThat(two.layers().stream().filter(l -> l instanceof Layer.Conv).count()).isEqualTo(2);
        assertThat(two.layers().stream().filter(l -> l instanceof Layer.Dense).count()).isEqualTo(2);
        assertThat(one.layers().stream().filter(l -> l instanceof Layer.Conv).count()).isEqualTo(1);
    }

    @Test
    void unknownNetworkIsRefusedNamingTheAllowedOnes() {
        assertThatThrownBy(() -> Networks.build("lenet", Map.of(), 50, 50, 1))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("clf = 'lenet'")
                .hasMessageContaining("alexnet, resnet18, vgg16, custom_cnn");
    }

    @Test
    void badOptionsAreAllReportedWithTheirNames() {
        assertThat(Networks.problems("alexnet", Map.of("pooling_1", "median", "filter_2", -3, "dropout_1", 1.5,
                "block_filters_1", 64, "conv_init", "zeros")).messages())
                .anyMatch(m -> m.contains("network.pooling_1 = 'median'") && m.contains("max, average, min, none"))
                .anyMatch(m -> m.contains("network.filter_2 = -3") && m.contains("integer >= 1"))
                .anyMatch(m -> m.contains("network.dropout_1 = 1.5") && m.contains("[0.0, 1.0)"))
                .anyMatch(m -> m.contains("network.block_filters_1 = 64") && m.contains("not an option of alexnet"))
                .anyMatch(m -> m.contains("network.conv_init = 'zeros'") && m.contains("uniform_scaling"));
    }

    @Test
    void networkSpecsRoundTripThroughJson() {
        NetworkSpec net = Networks.build("resnet18", Map.of("pooling", "average"), 50, 50, 3);
        String json = org.jbia.common.schema.JsonCodec.encode(net);
        assertThat(org.jbia.common.schema.JsonCodec.decode(json, NetworkSpec.class)).isEqualTo(net);
        assertThat(List.of(json)).allMatch(j -> j.contains("\"type\":\"residual\""));
    }
}
