package org.jbia.train.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.TrainSpec;
import org.jbia.train.backend.Backends;
import org.jbia.train.bundle.ModelBundle;
import org.jbia.train.bundle.Predictor;
import org.jbia.train.evaluation.Roc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The training runs, once per backend of this build (the same expectations hold for each). */
class TrainingJobTest {
    static final Map<String, Object> SMALL_NET = Map.of("filter_1", 12, "filter_size_1", 3, "pooling_1", "max",
            "pool_size_1", 2, "pool_stride_1", 2, "dense_neurons_1", 16, "dropout_1", 0.0, "model_reg", "none");

    static final ImageStack P = ToyData.images(48, 16, 2, true, 1);
    static final ImageStack N = ToyData.images(48, 16, 2, false, 2);
    static final ImageStack TEST_P = ToyData.images(30, 16, 2, true, 3);
    static final ImageStack TEST_N = ToyData.images(30, 16, 2, false, 4);

    /** A spec built from pyBIA argument names, as a user would send it. */
    static TrainSpec spec(Map<String, Object> fields) {
        Map<String, Object> all = new HashMap<>(Map.of("clf", "custom_cnn", "network", SMALL_NET, "epochs", 6,
                "batch_size", 16, "optimizer", "adam", "lr", 3e-3, "normalize", true, "max_pixel", List.of(100, 100),
                "patience", 0));
        all.putAll(fields);
        return JsonCodec.decode(JsonCodec.encode(all), TrainSpec.class);
    }

    static List<String> backends() {
        return Backends.AVAILABLE;
    }

    /** {@link #spec(Map)} for {@code backend}. */
    static TrainSpec spec(String backend, Map<String, Object> fields) {
        Map<String, Object> all = new HashMap<>(fields);
        all.put("backend", backend);
        return spec(all);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aSmallNetworkLearnsASeparableProblem(String backend) {
        List<Integer> epochsSeen = new ArrayList<>();
        TrainingOutcome out = TrainingJob.run(new TrainingData(P, N, null, null, TEST_P, TEST_N), spec(backend, Map.of()), 7,
                (epoch, epochs, metrics) -> {
                    epochsSeen.add(epoch);
                    assertThat(epochs).isEqualTo(6);
                    assertThat(metrics).containsKeys("loss", "binary_accuracy", "f1_score");
                });
        assertThat(epochsSeen).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(out.epochsRun()).isEqualTo(6);
        assertThat(out.stopReason()).isEqualTo("epochs");
        assertThat(out.metrics().get("auroc")).isGreaterThan(0.95);
        assertThat(out.metrics()).containsKeys("tpr0", "tpr10", "loss", "f1_score");
        assertThat(out.reportJson()).contains("\"history\"", "\"evaluation\"", "\"test\"", "\"roc_fpr\"");
        assertThat((String) JsonCodec.decode(out.reportJson(), Map.class).get("backend"))
                .isEqualTo(Backends.named(backend).describe());
        assertThat(ModelBundle.read(out.bundle()).backend()).isEqualTo(backend);
        try (Predictor predictor = Predictor.load(out.bundle())) {
            float[] p = predictor.predict(TEST_P).probabilities();
            float[] n = predictor.predict(TEST_N).probabilities();
            assertThat(Roc.auroc(p, n)).isCloseTo(out.metrics().get("auroc"), within(1e-12));
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theSameSeedGivesTheSameModel(String backend) {
        TrainSpec s = spec(backend, Map.of("epochs", 2));
        TrainingData data = TrainingData.of(P, N);
        TrainingOutcome a = TrainingJob.run(data, s, 11, null);
        TrainingOutcome b = TrainingJob.run(data, s, 11, null);
        TrainingOutcome c = TrainingJob.run(data, s, 12, null);
        try (Predictor pa = Predictor.load(a.bundle()); Predictor pb = Predictor.load(b.bundle());
             Predictor pc = Predictor.load(c.bundle())) {
            assertThat(pa.predict(TEST_P).probabilities()).containsExactly(pb.predict(TEST_P).probabilities());
            assertThat(pa.predict(TEST_P).probabilities()).isNotEqualTo(pc.predict(TEST_P).probabilities());
        }
    }

    /**
     * Full-batch plain SGD: one weighted step with weight 3 is the same step as BCE on the data with each
     * positive repeated three times (both normalise by the total weight).
     */
    @ParameterizedTest
    @MethodSource("backends")
    void weightedCrossEntropyEqualsCrossEntropyOnRepeatedPositives(String backend) {
        ImageStack p = P.slice(0, 10);
        ImageStack n = N.slice(0, 20);
        Map<String, Object> sgd = Map.of("optimizer", "sgd", "momentum", 0.0, "lr", 0.05, "batch_size", 1000,
                "epochs", 3, "backend", backend);
        Map<String, Object> weighted = new HashMap<>(sgd);
        weighted.put("loss", "weighted_binary_crossentropy");
        weighted.put("weight", 3.0);
        TrainingOutcome w = TrainingJob.run(TrainingData.of(p, n), spec(weighted), 5, null);
        TrainingOutcome r = TrainingJob.run(TrainingData.of(p.concat(p).concat(p), n), spec(sgd), 5, null);
        TrainingOutcome unweighted = TrainingJob.run(TrainingData.of(p, n), spec(sgd), 5, null);
        try (Predictor pw = Predictor.load(w.bundle()); Predictor pr = Predictor.load(r.bundle());
             Predictor pu = Predictor.load(unweighted.bundle())) {
            float[] a = pw.predict(TEST_P).probabilities();
            float[] b = pr.predict(TEST_P).probabilities();
            float[] u = pu.predict(TEST_P).probabilities();
            for (int i = 0; i < a.length; i++) {
                assertThat(a[i]).isCloseTo(b[i], within(2e-5f));
            }
            // and the weight does something: plain BCE on the original data ends elsewhere
            assertThat(maxDifference(a, u)).isGreaterThan(1e-3);
        }
        assertThat(w.metrics().get("loss")).isCloseTo(r.metrics().get("loss"), within(1e-5));
    }

    private static double maxDifference(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @ParameterizedTest
    @MethodSource("backends")
    void earlyStoppingEndsTheRunAndCanRestoreTheBestEpoch(String backend) {
        // a learning rate this large makes the validation loss bounce; patience 1 stops at the first rise
        TrainSpec s = spec(backend, Map.of("epochs", 30, "lr", 0.05, "patience", 1, "metric", "val_loss",
                "restore_best", true));
        TrainingOutcome out = TrainingJob.run(new TrainingData(P, N, TEST_P, TEST_N, null, null), s, 3, null);
        Map<?, ?> report = JsonCodec.decode(out.reportJson(), Map.class);
        @SuppressWarnings("unchecked")
        List<Double> valLoss = (List<Double>) ((Map<String, Object>) report.get("history")).get("val_loss");
        int best = ((Number) report.get("best_epoch")).intValue();
        assertThat(out.epochsRun()).isLessThan(30).isEqualTo(valLoss.size()).isEqualTo(best + 1);
        assertThat(out.stopReason()).isEqualTo("early_stopping");
        assertThat(valLoss.get(valLoss.size() - 1)).isGreaterThanOrEqualTo(valLoss.get(best - 1));
        assertThat(out.metrics().get("val_loss")).isEqualTo(valLoss.get(best - 1));
        assertThat(report.get("kept_epoch")).isEqualTo(best);
    }

    @Test
    void smoteBalancesTheSmallerClass() {
        TrainingOutcome out = TrainingJob.run(TrainingData.of(P.slice(0, 12), N), spec(Map.of("epochs", 1,
                "smote_sampling", 1.0)), 1, null);
        assertThat(out.reportJson()).contains("\"synthetic\" : 36", "\"positive\" : 48");
    }

    private static void assertRefused(TrainingData data, TrainSpec spec, String... fragments) {
        assertThatThrownBy(() -> TrainingJob.run(data, spec, 1, null)).isInstanceOf(InvalidSpecException.class)
                .hasMessageContainingAll(fragments);
    }

    @Test
    void imagesSmallerThanTheNetworkInputAreRefused() {
        Map<String, Object> net = new HashMap<>(SMALL_NET);
        net.put("image_size", 20);
        assertRefused(TrainingData.of(P, N), spec(Map.of("network", net)), "network.image_size = 20",
                "the images are 16x16", "at most 16");
    }

    @Test
    void maxPixelOfTheWrongLengthIsRefused() {
        assertRefused(TrainingData.of(P, N), spec(Map.of("max_pixel", List.of(100, 100, 100))), "max_pixel",
                "[100.0, 100.0, 100.0]", "one value per band", "2 bands");
    }

    @Test
    void unknownNetworkLossOrOptimiserIsRefusedAllAtOnce() {
        assertRefused(TrainingData.of(P, N), spec(Map.of("clf", "lenet", "loss", "dice", "optimizer", "lamb")),
                "clf = 'lenet'", "alexnet, resnet18, vgg16, custom_cnn", "loss = 'dice'", "focal_loss",
                "optimizer = 'lamb'", "adadelta");
    }

    @Test
    void nonPositiveEpochsOrBatchAreRefused() {
        assertRefused(TrainingData.of(P, N), spec(Map.of("epochs", 0, "batch_size", -4)), "epochs = 0",
                "batch_size = -4", "must be > 0");
    }

    @Test
    void validationDataWithOtherBandsIsRefused() {
        assertRefused(new TrainingData(P, N, ToyData.images(4, 16, 3, true, 9), null, null, null), spec(Map.of()),
                "val_positive images have 3 bands", "positive images have 2");
    }

    @Test
    void validationMetricWithoutValidationDataIsRefused() {
        assertRefused(TrainingData.of(P, N), spec(Map.of("metric", "val_f1_score")), "metric = 'val_f1_score'",
                "needs validation data");
    }

    @Test
    void unknownBackendIsRefusedNamingTheBackendsOfThisBuild() {
        assertRefused(TrainingData.of(P, N), spec(Map.of("backend", "tensorflow")), "backend = 'tensorflow'",
                "dl4j, libtorch");
    }

    /** Both engines load into one JVM and train and predict in turn, each keeping its own model. */
    @Test
    void bothBackendsTrainSideBySideInOneJvm() {
        TrainingData data = new TrainingData(P, N, null, null, TEST_P, TEST_N);
        TrainingOutcome dl4j = TrainingJob.run(data, spec("dl4j", Map.of("epochs", 4)), 21, null);
        TrainingOutcome libtorch = TrainingJob.run(data, spec("libtorch", Map.of("epochs", 4)), 21, null);
        try (Predictor a = Predictor.load(dl4j.bundle()); Predictor b = Predictor.load(libtorch.bundle())) {
            float[] firstA = a.predict(TEST_P).probabilities();
            float[] firstB = b.predict(TEST_P).probabilities();
            assertThat(a.bundle().backend()).isEqualTo("dl4j");
            assertThat(b.bundle().backend()).isEqualTo("libtorch");
            assertThat(a.predict(TEST_P).probabilities()).containsExactly(firstA);
            assertThat(b.predict(TEST_P).probabilities()).containsExactly(firstB);
            assertThat(firstA).isNotEqualTo(firstB); // two engines, two sets of initial weights
            assertThat(Roc.auroc(firstA, a.predict(TEST_N).probabilities())).isGreaterThan(0.95);
            assertThat(Roc.auroc(firstB, b.predict(TEST_N).probabilities())).isGreaterThan(0.95);
        }
    }
}
