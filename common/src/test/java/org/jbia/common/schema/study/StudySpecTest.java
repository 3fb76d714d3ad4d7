package org.jbia.common.schema.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jbia.common.schema.DatasetRefs;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.MalformedEventException;
import org.jbia.common.schema.ObjectRef;
import org.junit.jupiter.api.Test;

class StudySpecTest {

    private static StudySpec spec(String optimizeJson) {
        return JsonCodec.decode("{\"optimize\": " + optimizeJson + "}", StudySpec.class);
    }

    private static List<String> problems(String optimizeJson) {
        return spec(optimizeJson).problems().messages();
    }

    @Test
    void absentFieldsTakePyBiasDefaults() {
        OptimizeSpec o = spec("{}").optimize();
        assertThat(o.nIter()).isEqualTo(25);
        assertThat(o.nParallel()).isEqualTo(1);
        assertThat(o.trainEpochs()).isEqualTo(25);
        assertThat(o.epochs()).isEqualTo(25);
        assertThat(o.patience()).isEqualTo(5);
        assertThat(o.metric()).isEqualTo("loss");
        assertThat(o.average()).isTrue();
        assertThat(o.optModel()).isTrue();
        assertThat(o.limitSearch()).isTrue();
        assertThat(o.optAug()).isFalse();
        assertThat(o.batchSizeMin()).isEqualTo(16);
        assertThat(o.batchSizeMax()).isEqualTo(64);
        assertThat(o.batchMin()).isEqualTo(2);
        assertThat(o.batchMax()).isEqualTo(25);
        assertThat(o.batchOther()).isEqualTo(1);
        assertThat(o.imageSizeMin()).isEqualTo(50);
        assertThat(o.imageSizeMax()).isEqualTo(100);
        assertThat(o.zoomRange()).containsExactly(0.9, 1.1);
        assertThat(o.pruner()).isEqualTo("none");
        assertThat(o.sampler()).isEqualTo("tpe");
        assertThat(spec("{}").problems().isEmpty()).isTrue();
    }

    @Test
    void aRangeIsOneValueOrTwo() {
        OptimizeSpec o = spec("{\"mask_size\": 5, \"num_masks\": [1, 3]}").optimize();
        assertThat(o.maskSize()).containsExactly(5);
        assertThat(o.tunesMaskSize()).isFalse();
        assertThat(o.numMasks()).containsExactly(1, 3);
        assertThat(o.tunesNumMasks()).isTrue();
    }

    @Test
    void roundTripsThroughTheCodec() {
        StudySpec s = JsonCodec.decode("{\"name\": \"lenses\", \"seed\": 7, \"train\": {\"clf\": \"custom_cnn\"},"
                + "\"optimize\": {\"n_iter\": 9, \"opt_aug\": true, \"mask_size\": [2, 4], \"monitor1\": \"loss\","
                + "\"monitor1_thresh\": 0.01, \"choices\": {\"optimizer\": [\"adam\"]}, \"fixed\": {\"lr\": 0.0001}}}",
                StudySpec.class);
        StudySpec back = JsonCodec.decode(JsonCodec.encode(s), StudySpec.class);
        assertThat(back).isEqualTo(s);
        assertThat(back.optimize().choices()).containsEntry("optimizer", List.of("adam"));
        assertThat(back.optimize().fixed()).containsEntry("lr", 0.0001);
    }

    @Test
    void nIterBelowOneIsRefusedNamingTheFieldValueAndLimit() {
        assertThat(problems("{\"n_iter\": 0}"))
                .containsExactly("optimize.n_iter = 0 is not allowed: it must be >= 1 (the number of trials)");
        assertThat(problems("{\"n_parallel\": 0, \"train_epochs\": 0, \"epochs\": -1}")).containsExactly(
                "optimize.n_parallel = 0 is not allowed: it must be >= 1 (trials in flight at once)",
                "optimize.train_epochs = 0 is not allowed: it must be >= 1 (epochs per trial)",
                "optimize.epochs = -1 is not allowed: it must be >= 0 (epochs of the final fit; 0 tunes only)");
    }

    @Test
    void minAboveMaxIsRefusedInEveryRange() {
        assertThat(problems("{\"batch_size_min\": 64, \"batch_size_max\": 16}"))
                .containsExactly("optimize.batch_size_min = 64 is not allowed: it must be <= batch_size_max (16)");
        assertThat(problems("{\"batch_min\": 30, \"batch_max\": 25}"))
                .containsExactly("optimize.batch_min = 30 is not allowed: it must be <= batch_max (25)");
        assertThat(problems("{\"image_size_min\": 120, \"image_size_max\": 100}"))
                .containsExactly("optimize.image_size_min = 120 is not allowed: it must be <= image_size_max (100)");
        assertThat(problems("{\"opt_max_min_pix\": 1500, \"opt_max_max_pix\": 10}"))
                .containsExactly("optimize.opt_max_min_pix = 1500 is not allowed: it must be <= opt_max_max_pix (10)");
        assertThat(problems("{\"mask_size\": [6, 2]}"))
                .containsExactly("optimize.mask_size = [6, 2] is not allowed: [lo, hi] needs lo <= hi");
        assertThat(problems("{\"mask_size\": 3, \"num_masks\": [4, 1]}"))
                .containsExactly("optimize.num_masks = [4, 1] is not allowed: [lo, hi] needs lo <= hi");
        assertThat(problems("{\"zoom_range\": [1.2, 0.8]}")).containsExactly(
                "optimize.zoom_range = [1.2, 0.8] is not allowed: it must be [min, max] with 0 < min <= max, or [] "
                        + "for no zoom");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThat(problems("{\"n_iter\": 0, \"batch_min\": 9, \"batch_max\": 3, \"metric\": \"auc\"}")).hasSize(3);
    }

    @Test
    void halfARangeIsRefused() {
        assertThat(problems("{\"opt_max_min_pix\": 10}")).containsExactly("optimize.opt_max_min_pix = 10 is not "
                + "allowed: give both opt_max_min_pix and opt_max_max_pix (the tuned max_pixel range) or neither");
        assertThat(problems("{\"mask_size\": [1, 2, 3]}")).containsExactly(
                "optimize.mask_size = [1, 2, 3] is not allowed: give one integer to fix it or [lo, hi] to tune it");
        assertThat(problems("{\"num_masks\": 2}")).containsExactly(
                "optimize.num_masks = [2] is not allowed: it needs mask_size (the cutout radius); give both or neither");
    }

    @Test
    void anEmptyCategoricalIsRefused() {
        assertThat(problems("{\"choices\": {\"optimizer\": []}}")).containsExactly(
                "optimize.choices.optimizer = [] is not allowed: a categorical parameter needs at least one choice");
    }

    @Test
    void thresholdsNeedMonitorsAndMonitorsNeedThresholds() {
        assertThat(problems("{\"monitor1_thresh\": 0.99}")).containsExactly("optimize.monitor1_thresh = 0.99 is not "
                + "allowed: a threshold needs monitor1 (the metric it applies to), one of loss, binary_accuracy, "
                + "f1_score, val_loss, val_binary_accuracy, val_f1_score");
        assertThat(problems("{\"monitor2\": \"loss\"}")).containsExactly("optimize.monitor2_thresh = null is not "
                + "allowed: monitor2 = 'loss' needs a threshold (losses stop a trial at or below it, other metrics "
                + "above it)");
        assertThat(problems("{\"monitor1\": \"accuracy\", \"monitor1_thresh\": 0.9}")).containsExactly(
                "optimize.monitor1 = 'accuracy' is not allowed: expected one of loss, binary_accuracy, f1_score, "
                        + "val_loss, val_binary_accuracy, val_f1_score");
    }

    @Test
    void metricsAndChoicesOfStringsAreChecked() {
        assertThat(problems("{\"metric\": \"auc\"}")).containsExactly("optimize.metric = 'auc' is not allowed: "
                + "expected one of loss, binary_accuracy, f1_score, all, val_loss, val_binary_accuracy, val_f1_score, "
                + "val_all");
        assertThat(problems("{\"metric2\": \"all\"}")).singleElement().asString()
                .startsWith("optimize.metric2 = 'all' is not allowed: expected one of loss,");
        assertThat(problems("{\"pruner\": \"hyperband\"}")).containsExactly(
                "optimize.pruner = 'hyperband' is not allowed: expected one of none, median");
        assertThat(problems("{\"sampler\": \"grid\"}")).containsExactly(
                "optimize.sampler = 'grid' is not allowed: expected one of tpe, random");
        assertThat(problems("{\"blending_func\": \"sum\"}")).containsExactly(
                "optimize.blending_func = 'sum' is not allowed: expected one of mean, max, min, random");
    }

    @Test
    void otherValuesOutOfRange() {
        assertThat(problems("{\"test_acc_threshold\": 1.5}")).containsExactly(
                "optimize.test_acc_threshold = 1.5 is not allowed: it must lie in (0, 1]");
        assertThat(problems("{\"opt_cv\": 1}")).containsExactly(
                "optimize.opt_cv = 1 is not allowed: it must be >= 2 folds (or absent for none)");
        assertThat(problems("{\"blend_other\": 0.5}")).containsExactly(
                "optimize.blend_other = 0.5 is not allowed: it must be 0 (no blending of the negatives) or >= 1");
        assertThat(problems("{\"skew_angle\": 120}")).containsExactly(
                "optimize.skew_angle = 120 is not allowed: it must lie in [0.0, 89.0]");
        assertThat(problems("{\"num_images_to_blend\": 1}")).containsExactly(
                "optimize.num_images_to_blend = 1 is not allowed: it must be >= 2");
    }

    @Test
    void trainAndAugmentProblemsComeWithTheStudysOwn() {
        StudySpec s = JsonCodec.decode("{\"train\": {\"clf\": \"lenet\"}, \"augment_positive\": {\"batch\": 2},"
                + "\"optimize\": {\"opt_aug\": true, \"n_iter\": 0}}", StudySpec.class);
        assertThat(s.problems().messages()).containsExactlyInAnyOrder(
                "clf = 'lenet' is not allowed: expected one of alexnet, resnet18, vgg16, custom_cnn",
                "optimize.n_iter = 0 is not allowed: it must be >= 1 (the number of trials)",
                "augment_positive is not allowed with optimize.opt_aug = true: the augmentation is then tuned from "
                        + "the optimize fields (shift, rotation, zoom_range, ...); leave augment_positive and "
                        + "augment_negative out");
    }

    @Test
    void anUnknownFieldIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> spec("{\"n_iters\": 5}")).isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("\"n_iters\"").hasMessageContaining("n_iter");
    }

    @Test
    void theStoppingMetricOfAllIsTheLoss() {
        assertThat(spec("{\"metric\": \"all\"}").optimize().stoppingMetric()).isEqualTo("loss");
        assertThat(spec("{\"metric\": \"val_all\"}").optimize().stoppingMetric()).isEqualTo("val_loss");
        assertThat(spec("{\"metric\": \"f1_score\"}").optimize().stoppingMetric()).isEqualTo("f1_score");
        assertThat(spec("{\"metric\": \"loss\", \"monitor2\": \"val_loss\", \"monitor2_thresh\": 0.1}").optimize()
                .validationFields()).containsExactly("optimize.monitor2 = 'val_loss'");
    }

    @Test
    void dataChangedIsAnEventKeyedByItsStudy() {
        ObjectRef ref = new ObjectRef("jbia", "k", 1, "ab", new int[] {1, 2, 2, 1}, "float32");
        DataChanged e = new DataChanged(1, "study-1", "r1", new DatasetRefs(ref, null, null, null, null, null), "new");
        String json = JsonCodec.encode(e);
        assertThat(json).contains("\"study_id\":\"study-1\"").doesNotContain("job_id");
        DataChanged back = JsonCodec.decodeEvent(json, DataChanged.class);
        assertThat(back.jobId()).isEqualTo("study-1");
        assertThat(back.data().positive()).isEqualTo(ref);
    }
}
