package org.jbia.optimize.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.study.StudySpec;
import org.jbia.optimize.search.CategoricalParam;
import org.jbia.optimize.search.FloatParam;
import org.jbia.optimize.search.IntParam;
import org.jbia.optimize.search.Param;
import org.jbia.optimize.search.RandomSampler;
import org.jbia.optimize.search.SearchSpace;
import org.junit.jupiter.api.Test;

class SpaceBuilderTest {

    static StudySpec spec(String clf, String optimizeJson) {
        return JsonCodec.decode("{\"train\": {\"clf\": \"" + clf + "\"}, \"optimize\": " + optimizeJson + "}",
                StudySpec.class);
    }

    private static List<String> names(SearchSpace space) {
        return space.params().stream().map(Param::name).toList();
    }

    @Test
    void theTrainingSpaceIsPyBiasWithTheDegenerateEndsRemoved() {
        SearchSpace space = SpaceBuilder.build(spec("alexnet", "{\"opt_model\": false}"), 3).space();
        assertThat(names(space)).containsExactly("batch_size", "lr", "optimizer", "momentum", "nesterov", "beta_1",
                "beta_2", "amsgrad", "rho");
        IntParam batch = (IntParam) space.param("batch_size");
        assertThat(batch.low()).isEqualTo(16);
        assertThat(batch.high()).isEqualTo(64);
        FloatParam lr = (FloatParam) space.param("lr");
        assertThat(lr.low()).isEqualTo(1e-6);
        assertThat(lr.high()).isCloseTo(9.96e-4, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(lr.step()).isEqualTo(5e-6);
        assertThat(((CategoricalParam) space.param("optimizer")).choices())
                .containsExactly("sgd", "adam", "adamax", "nadam", "adadelta", "rmsprop");
        assertThat(((FloatParam) space.param("momentum")).high()).isEqualTo(0.999);
        assertThat(space.param("momentum").condition().values()).containsExactly("sgd");
        assertThat(space.param("beta_1").condition().values()).containsExactly("adam", "adamax", "nadam");
        assertThat(space.param("amsgrad").condition().values()).containsExactly("adam");
        assertThat(((FloatParam) space.param("rho")).low()).isEqualTo(0.001);
        assertThat(space.param("rho").condition().values()).containsExactly("adadelta", "rmsprop");
    }

    @Test
    void aBatchSizeRangeOfOneValueIsNotTuned() {
        SearchSpace space = SpaceBuilder.build(spec("alexnet", "{\"opt_model\": false, \"batch_size_min\": 32, "
                + "\"batch_size_max\": 32}"), 1).space();
        assertThat(space.param("batch_size")).isNull();
    }

    @Test
    void theAugmentationSpaceFollowsTheSuggestOrder() {
        SearchSpace space = SpaceBuilder.build(spec("alexnet", "{\"opt_model\": false, \"opt_aug\": true, "
                + "\"batch_min\": 10, \"batch_max\": 250, \"blend_max\": 2, \"skew_angle\": 10, \"image_size_min\": 50, "
                + "\"image_size_max\": 100, \"mask_size\": [3, 8], \"num_masks\": [1, 4], \"opt_max_min_pix\": 10, "
                + "\"opt_max_max_pix\": 1500}"), 3).space();
        assertThat(names(space).subList(0, 9)).containsExactly("num_aug", "blend_multiplier", "skew_angle",
                "image_size", "mask_size", "num_masks", "max_pixel_1", "max_pixel_2", "max_pixel_3");
        assertThat(((IntParam) space.param("num_aug")).low()).isEqualTo(10);
        assertThat(((IntParam) space.param("num_aug")).high()).isEqualTo(250);
        FloatParam blend = (FloatParam) space.param("blend_multiplier");
        assertThat(blend.low()).isEqualTo(1.0);
        assertThat(blend.high()).isEqualTo(2.0);
        assertThat(blend.step()).isEqualTo(0.05);
        assertThat(((IntParam) space.param("max_pixel_2")).high()).isEqualTo(1500);
    }

    @Test
    void blendingBelowOnePointOneAndFixedMasksAreNotTuned() {
        SearchSpace space = SpaceBuilder.build(spec("alexnet", "{\"opt_model\": false, \"opt_aug\": true, "
                + "\"blend_max\": 1.05, \"mask_size\": 4, \"num_masks\": 2}"), 1).space();
        assertThat(names(space)).doesNotContain("blend_multiplier", "skew_angle", "mask_size", "num_masks",
                "max_pixel_1");
        assertThat(names(space)).contains("num_aug", "image_size");
    }

    @Test
    void limitSearchTunesOnlyThePoolingOfEachNetwork() {
        assertThat(names(SpaceBuilder.build(spec("alexnet", "{}"), 1).space())).containsSubsequence("activation_conv",
                "activation_dense", "loss", "conv_init", "dense_init", "model_reg", "pooling_1", "pooling_2", "pooling_3")
                .doesNotContain("filter_1", "pooling_4");
        assertThat(names(SpaceBuilder.build(spec("vgg16", "{}"), 1).space())).contains("pooling_5")
                .doesNotContain("filter_1");
        assertThat(names(SpaceBuilder.build(spec("resnet18", "{}"), 1).space())).contains("pooling")
                .doesNotContain("filters");
        assertThat(((CategoricalParam) SpaceBuilder.build(spec("vgg16", "{}"), 1).space().param("model_reg")).choices())
                .containsExactly("none", "batch_norm", "local_response");
        assertThat(((CategoricalParam) SpaceBuilder.build(spec("alexnet", "{}"), 1).space().param("loss")).choices())
                .containsExactly("binary_crossentropy", "hinge");
    }

    @Test
    void withoutLimitSearchEveryLayerIsTuned() {
        SearchSpace alex = SpaceBuilder.build(spec("alexnet", "{\"limit_search\": false}"), 1).space();
        assertThat(names(alex)).contains("filter_5", "filter_size_1", "strides_5", "pool_size_3", "pool_stride_3",
                "dense_neurons_2", "dropout_2").doesNotContain("pool_size_4");
        assertThat(((IntParam) alex.param("filter_1")).step()).isEqualTo(12);
        assertThat(((IntParam) alex.param("filter_1")).high()).isEqualTo(516);
        assertThat(((IntParam) alex.param("filter_size_1")).high()).isEqualTo(11);
        assertThat(((IntParam) alex.param("filter_size_2")).high()).isEqualTo(7);
        assertThat(((IntParam) alex.param("dense_neurons_1")).high()).isEqualTo(6400);
        assertThat(((FloatParam) alex.param("dropout_1")).high()).isEqualTo(0.5);
        SearchSpace vgg = SpaceBuilder.build(spec("vgg16", "{\"limit_search\": false}"), 1).space();
        assertThat(names(vgg)).contains("pool_size_5", "pool_stride_4", "strides_4");
        SearchSpace resnet = SpaceBuilder.build(spec("resnet18", "{\"limit_search\": false}"), 1).space();
        assertThat(names(resnet)).contains("filters", "filter_size", "strides", "pool_size", "pool_stride",
                "block_filters_4", "block_filters_size");
        assertThat(((IntParam) resnet.param("pool_size")).step()).isEqualTo(2);
    }

    @Test
    void customCnnAlwaysSearchesItsLayersWithConditions() {
        SearchSpace space = SpaceBuilder.build(spec("custom_cnn", "{\"limit_search\": true}"), 1).space();
        assertThat(names(space)).contains("filter_1", "num_conv_layers", "filter_3", "num_dense_layers",
                "dense_neurons_3", "dropout_3");
        assertThat(space.param("filter_2").condition().parent()).isEqualTo("num_conv_layers");
        assertThat(space.param("filter_2").condition().values()).containsExactly(2, 3);
        assertThat(space.param("pooling_3").condition().values()).containsExactly(3);
        assertThat(space.param("dropout_2").condition().parent()).isEqualTo("num_dense_layers");
        // Sampled values respect the conditions.
        for (int n = 0; n < 30; n++) {
            Map<String, Object> v = new RandomSampler(5).sample(space, List.of(), n);
            int convs = (Integer) v.get("num_conv_layers");
            assertThat(v.containsKey("filter_3")).isEqualTo(convs == 3);
            assertThat(v.containsKey("filter_2")).isEqualTo(convs >= 2);
        }
    }

    @Test
    void choicesNarrowACategoricalAndItsChildrenFollow() {
        TrialSpace ts = SpaceBuilder.build(spec("alexnet", "{\"opt_model\": false, "
                + "\"choices\": {\"optimizer\": [\"adam\", \"rmsprop\"]}}"), 1);
        assertThat(((CategoricalParam) ts.space().param("optimizer")).choices()).containsExactly("adam", "rmsprop");
        assertThat(ts.space().param("momentum")).isNull();
        assertThat(ts.space().param("beta_1").condition().values()).containsExactly("adam");
        assertThat(ts.space().param("rho").condition().values()).containsExactly("rmsprop");
    }

    @Test
    void fixedValuesLeaveTheSpaceAndJoinEveryTrialWhereTheirConditionHolds() {
        TrialSpace ts = SpaceBuilder.build(spec("custom_cnn", "{\"fixed\": {\"optimizer\": \"sgd\", "
                + "\"num_conv_layers\": 1, \"filter_1\": 24, \"amsgrad\": true, \"dropout_2\": 0.1}}"), 1);
        assertThat(names(ts.space())).doesNotContain("optimizer", "num_conv_layers", "filter_1", "filter_2",
                "beta_1", "amsgrad", "dropout_2").contains("momentum", "nesterov", "num_dense_layers", "dense_neurons_2");
        // amsgrad belongs to adam, which can no longer be chosen.
        assertThat(ts.fixed()).containsOnlyKeys("optimizer", "num_conv_layers", "filter_1", "dropout_2");
        assertThat(ts.complete(Map.of("num_dense_layers", 2))).containsEntry("dropout_2", 0.1);
        assertThat(ts.complete(Map.of("num_dense_layers", 1))).doesNotContainKey("dropout_2");
        assertThat(ts.space().param("momentum").condition()).isNull();
        Map<String, Object> full = ts.complete(Map.of("lr", 1e-4));
        assertThat(full).containsEntry("optimizer", "sgd").containsEntry("num_conv_layers", 1)
                .containsEntry("filter_1", 24);
    }

    @Test
    void aFixedConditionalValueAppliesOnlyWhenItsParentAllows() {
        TrialSpace ts = SpaceBuilder.build(spec("alexnet", "{\"opt_model\": false, \"fixed\": {\"momentum\": 0.5}}"), 1);
        assertThat(ts.space().param("momentum")).isNull();
        assertThat(ts.complete(Map.of("optimizer", "sgd"))).containsEntry("momentum", 0.5);
        assertThat(ts.complete(Map.of("optimizer", "adam"))).doesNotContainKey("momentum");
    }

    @Test
    void unknownNamesAndValuesOutsideTheDomainAreRefusedNamingThem() {
        assertThatThrownBy(() -> SpaceBuilder.build(spec("alexnet", "{\"opt_model\": false, "
                + "\"fixed\": {\"learning_rate\": 0.1, \"lr\": 5}, \"choices\": {\"optimiser\": [\"sgd\"], "
                + "\"optimizer\": [\"sgd\", \"lbfgs\"], \"lr\": [0.1]}}"), 1))
                .isInstanceOf(InvalidSpecException.class)
                .satisfies(e -> assertThat(((InvalidSpecException) e).problems()).containsExactlyInAnyOrder(
                        "optimize.choices.optimiser = [sgd] is not allowed: not a parameter of this study; its "
                                + "parameters are batch_size, lr, optimizer, momentum, nesterov, beta_1, beta_2, "
                                + "amsgrad, rho",
                        "optimize.choices.optimizer = [sgd, lbfgs] is not allowed: expected a subset of [sgd, adam, "
                                + "adamax, nadam, adadelta, rmsprop]",
                        "optimize.choices.lr = [0.1] is not allowed: lr is not categorical; pin it with "
                                + "optimize.fixed.lr or change its range",
                        "optimize.fixed.learning_rate = 0.1 is not allowed: not a parameter of this study; its "
                                + "parameters are batch_size, lr, optimizer, momentum, nesterov, beta_1, beta_2, "
                                + "amsgrad, rho",
                        "optimize.fixed.lr = 5 is not allowed: expected a number in [1.0E-6, 9.96E-4] on steps of "
                                + "5.0E-6"));
    }
}
