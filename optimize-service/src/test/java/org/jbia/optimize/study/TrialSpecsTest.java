package org.jbia.optimize.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jbia.common.schema.JobSpec;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.TrainSpec;
import org.jbia.common.schema.study.StudySpec;
import org.junit.jupiter.api.Test;

class TrialSpecsTest {

    private static Map<String, Object> values(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void theTrainingValuesGoToTheTrainSpecWithTheStudysStopping() {
        StudySpec spec = SpaceBuilderTest.spec("alexnet", "{\"opt_model\": false, \"train_epochs\": 7, \"epochs\": 30, "
                + "\"patience\": 3, \"metric\": \"val_all\"}");
        Map<String, Object> v = values("batch_size", 40, "lr", 2.1e-4, "optimizer", "rmsprop", "rho", 0.5);
        TrainSpec trial = TrialSpecs.trial(spec, v, "t").train();
        assertThat(trial.epochs()).isEqualTo(7);
        assertThat(trial.batchSize()).isEqualTo(40);
        assertThat(trial.lr()).isEqualTo(2.1e-4);
        assertThat(trial.optimizer()).isEqualTo("rmsprop");
        assertThat(trial.rho()).isEqualTo(0.5);
        assertThat(trial.patience()).isEqualTo(3);
        assertThat(trial.metric()).isEqualTo("val_loss");
        assertThat(trial.clf()).isEqualTo("alexnet");
        assertThat(trial.network()).isEmpty();
        assertThat(TrialSpecs.finalFit(spec, v, "f").train().epochs()).isEqualTo(30);
        assertThat(TrialSpecs.trial(spec, v, "t").augmentPositive()).isNull();
    }

    @Test
    void aFixedBatchSizeRangeUsesItsMax() {
        StudySpec spec = SpaceBuilderTest.spec("alexnet", "{\"opt_model\": false, \"batch_size_min\": 24, "
                + "\"batch_size_max\": 24}");
        assertThat(TrialSpecs.trial(spec, values("lr", 1e-4, "optimizer", "adam"), "t").train().batchSize())
                .isEqualTo(24);
    }

    @Test
    void architectureValuesBecomeNetworkOptions() {
        StudySpec spec = SpaceBuilderTest.spec("alexnet", "{\"limit_search\": false}");
        TrainSpec t = TrialSpecs.trial(spec, values("lr", 1e-4, "optimizer", "sgd", "momentum", 0.9, "nesterov", true,
                "activation_conv", "elu", "loss", "hinge", "model_reg", "none", "pooling_1", "min", "filter_1", 24),
                "t").train();
        assertThat(t.network()).containsEntry("activation_conv", "elu").containsEntry("model_reg", "none")
                .containsEntry("pooling_1", "min").containsEntry("filter_1", 24).doesNotContainKeys("lr", "loss",
                        "optimizer", "momentum");
        assertThat(t.loss()).isEqualTo("hinge");
        assertThat(t.nesterov()).isTrue();
    }

    @Test
    void customCnnSwitchesOffTheLayersPastTheSampledCountsAndPoolsByTheirSize() {
        StudySpec spec = SpaceBuilderTest.spec("custom_cnn", "{}");
        TrainSpec t = TrialSpecs.trial(spec, values("lr", 1e-4, "optimizer", "adam", "filter_1", 36, "filter_size_1", 5,
                "pooling_1", "max", "pool_size_1", 3, "num_conv_layers", 1, "dense_neurons_1", 256, "dropout_1", 0.2,
                "num_dense_layers", 2, "dense_neurons_2", 128, "dropout_2", 0.1), "t").train();
        assertThat(t.network()).containsEntry("filter_1", 36).containsEntry("strides_1", 1)
                .containsEntry("pool_stride_1", 3).containsEntry("filter_2", 0).containsEntry("filter_3", 0)
                .containsEntry("dense_neurons_2", 128).containsEntry("dense_neurons_3", 0)
                .doesNotContainKeys("num_conv_layers", "num_dense_layers", "pooling_2");
    }

    @Test
    void theAugmentationOfBothClassesComesFromTheStudy() {
        StudySpec spec = SpaceBuilderTest.spec("alexnet", "{\"opt_model\": false, \"opt_aug\": true, \"shift\": 5, "
                + "\"rotation\": true, \"horizontal\": true, \"mask_size\": [2, 6], \"num_masks\": 3, "
                + "\"blend_max\": 2, \"blend_other\": 1, \"batch_other\": 2, \"zoom_range\": [0.8, 1.2], "
                + "\"skew_angle\": 10, \"blending_func\": \"max\", \"num_images_to_blend\": 3}");
        JobSpec job = TrialSpecs.trial(spec, values("num_aug", 12, "blend_multiplier", 1.5, "skew_angle", 4,
                "image_size", 60, "mask_size", 4, "lr", 1e-4, "optimizer", "adam"), "t");
        var p = job.augmentPositive();
        assertThat(p.batch()).isEqualTo(12);
        assertThat(p.widthShift()).isEqualTo(5);
        assertThat(p.heightShift()).isEqualTo(5);
        assertThat(p.rotation()).isTrue();
        assertThat(p.horizontal()).isTrue();
        assertThat(p.vertical()).isFalse();
        assertThat(p.imageSize()).isEqualTo(60);
        assertThat(p.maskSize()).isEqualTo(4.0);
        assertThat(p.numMasks()).isEqualTo(3);
        assertThat(p.blendMultiplier()).isEqualTo(1.5);
        assertThat(p.blendingFunc()).isEqualTo("max");
        assertThat(p.numImagesToBlend()).isEqualTo(3);
        assertThat(p.zoomRange()).containsExactly(0.8, 1.2);
        assertThat(p.skewAngle()).isEqualTo(4.0);
        var n = job.augmentNegative();
        assertThat(n.batch()).isEqualTo(2);
        assertThat(n.imageSize()).isEqualTo(60);
        assertThat(n.blendMultiplier()).isEqualTo(1.0);
        assertThat(n.maskSize()).isEqualTo(4.0);
    }

    @Test
    void negativesAreOnlyCroppedWithoutBatchOtherAndNotBlendedUnlessPositivesAre() {
        StudySpec cropOnly = SpaceBuilderTest.spec("alexnet", "{\"opt_model\": false, \"opt_aug\": true, "
                + "\"batch_other\": 0, \"rotation\": true}");
        var n = TrialSpecs.trial(cropOnly, values("num_aug", 3, "image_size", 50, "lr", 1e-4, "optimizer", "adam"), "t")
                .augmentNegative();
        assertThat(n.batch()).isEqualTo(1);
        assertThat(n.imageSize()).isEqualTo(50);
        assertThat(n.rotation()).isFalse();
        assertThat(n.widthShift()).isZero();
        // pyBIA blends the negatives (blend_other = 1) even when the positives are not: a class shortcut (§9.16).
        StudySpec noBlend = SpaceBuilderTest.spec("alexnet", "{\"opt_model\": false, \"opt_aug\": true}");
        var n2 = TrialSpecs.trial(noBlend, values("num_aug", 3, "image_size", 50, "lr", 1e-4, "optimizer", "adam"), "t")
                .augmentNegative();
        assertThat(n2.blendMultiplier()).isZero();
    }

    @Test
    void tunedMaxPixelNormalisesWithTheStudysFloor() {
        StudySpec spec = JsonCodec.decode("{\"train\": {\"min_pixel\": 2}, \"optimize\": {\"opt_model\": false, "
                + "\"opt_aug\": true, \"opt_max_min_pix\": 10, \"opt_max_max_pix\": 1500}}", StudySpec.class);
        TrainSpec t = TrialSpecs.trial(spec, values("num_aug", 3, "image_size", 50, "max_pixel_1", 100, "max_pixel_2",
                200, "lr", 1e-4, "optimizer", "adam"), "t").train();
        assertThat(t.normalize()).isTrue();
        assertThat(t.maxPixel()).containsExactly(100, 200);
        assertThat(t.minPixel()).isEqualTo(2.0);
    }

    @Test
    void balanceAugmentsNoMoreNegativesThanNeeded() {
        StudySpec spec = SpaceBuilderTest.spec("alexnet", "{\"opt_model\": false, \"opt_aug\": true, "
                + "\"batch_other\": 1}");
        // 4 positives x 10 = 40 augmented positives: 40 of the 500 negatives are needed.
        assertThat(TrialSpecs.negativeLimit(spec, values("num_aug", 10), 4, 500)).isEqualTo(40);
        assertThat(TrialSpecs.negativeLimit(spec, values("num_aug", 10), 4, 30)).isNull();
        StudySpec twice = SpaceBuilderTest.spec("alexnet", "{\"opt_model\": false, \"opt_aug\": true, "
                + "\"batch_other\": 2, \"blend_max\": 2, \"blend_other\": 1.5}");
        // 4 x 10 x 1.5 = 60 positives; each negative gives 2 x 1.5 = 3.
        assertThat(TrialSpecs.negativeLimit(twice, values("num_aug", 10, "blend_multiplier", 1.5), 4, 500))
                .isEqualTo(20);
        StudySpec unbalanced = SpaceBuilderTest.spec("alexnet", "{\"opt_model\": false, \"opt_aug\": true, "
                + "\"balance\": false}");
        assertThat(TrialSpecs.negativeLimit(unbalanced, values("num_aug", 10), 4, 500)).isNull();
    }
}
