package org.jbia.train.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jbia.common.array.ImageStack;
import org.jbia.common.data.CenterCrop;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.TrainSpec;
import org.jbia.train.backend.Backends;
import org.jbia.train.backend.TrainableModel;
import org.jbia.train.model.BinaryLoss;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.Networks;
import org.jbia.train.model.OptimizerSpec;
import org.jbia.train.model.Preprocessing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bundles of every backend of this build: each is read back by the backend its manifest names. */
class ModelBundleTest {
    static final TrainSpec SPEC = new TrainSpec("custom_cnn", Map.of("filter_1", 12, "filter_size_1", 3,
            "dense_neurons_1", 8, "model_reg", "batch_norm", "pooling_1", "min"), 2, 4, "adam", 1e-3, null, null,
            null, null, null, null, null, null, null, null, null, null, true, 0.0, new double[] {50, 80}, null, 0.3,
            null);

    static ImageStack random(int n, int size, long seed) {
        Random r = new Random(seed);
        ImageStack s = ImageStack.zeros(n, size, size, 2);
        for (int i = 0; i < s.pixels().length; i++) {
            s.pixels()[i] = (float) (r.nextDouble() * 100);
        }
        return s;
    }

    /** A trained model (a few steps so batch norm statistics moved) in a bundle, and its predictions before saving. */
    private record Trained(ModelBundle bundle, float[] before, ImageStack images) {
    }

    static List<String> backends() {
        return Backends.AVAILABLE;
    }

    private static Trained trained(String backend) {
        NetworkSpec net = Networks.build(SPEC.clf(), SPEC.network(), 12, 12, 2);
        Preprocessing pre = Preprocessing.of(SPEC, 12, 2);
        ImageStack images = random(10, 12, 1);
        ImageStack ready = pre.apply(images, "images");
        try (TrainableModel model = Backends.named(backend).create(net, OptimizerSpec.of(SPEC),
                BinaryLoss.of(SPEC), 4)) {
            for (int i = 0; i < 3; i++) {
                model.fit(ready, new float[] {1, 0, 1, 0, 1, 0, 1, 0, 1, 0});
            }
            float[] before = model.predict(ready);
            return new Trained(new ModelBundle(backend, net, pre, SPEC, SPEC.threshold(), "{\"history\":{}}",
                    model.save()), before, images);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aBundleRoundTripsAndItsModelPredictsExactlyAsBeforeSaving(String backend) {
        Trained t = trained(backend);
        ModelBundle back = ModelBundle.read(t.bundle().write());
        assertThat(back.backend()).isEqualTo(backend);
        assertThat(back.network()).isEqualTo(t.bundle().network());
        assertThat(back.preprocessing()).isEqualTo(t.bundle().preprocessing());
        assertThat(back.trainSpec()).isEqualTo(SPEC);
        assertThat(back.threshold()).isEqualTo(0.3);
        assertThat(back.reportJson()).isEqualTo("{\"history\":{}}");
        assertThat(back.model()).isEqualTo(t.bundle().model());
        try (Predictor predictor = Predictor.of(back)) {
            Prediction p = predictor.predict(t.images());
            assertThat(p.probabilities()).containsExactly(t.before());
            for (int i = 0; i < p.labels().length; i++) {
                assertThat(p.labels()[i]).isEqualTo(p.probabilities()[i] > 0.3 ? 1 : 0);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void largerImagesAreCentreCroppedSmallerOnesRefused(String backend) {
        Trained t = trained(backend);
        ImageStack big = random(3, 16, 8);
        try (Predictor predictor = Predictor.of(t.bundle())) {
            assertThat(predictor.predict(big).probabilities())
                    .containsExactly(predictor.predict(CenterCrop.crop(big, 12)).probabilities());
            assertThatThrownBy(() -> predictor.predict(random(2, 10, 3))).isInstanceOf(InvalidSpecException.class)
                    .hasMessageContaining("images are 10x10, smaller than the network's input of 12x12");
            assertThatThrownBy(() -> predictor.predict(t.images(), 1.5)).hasMessageContaining("threshold = 1.5");
        }
    }

    /** The manifest's backend reads model.bin: another backend's model is refused, saying which. */
    @Test
    void aModelIsReadByTheBackendItsManifestNames() {
        Trained dl4j = trained("dl4j");
        ModelBundle mislabelled = new ModelBundle("libtorch", dl4j.bundle().network(), dl4j.bundle().preprocessing(),
                SPEC, 0.3, "{}", dl4j.bundle().model());
        assertThatThrownBy(() -> Predictor.load(mislabelled.write())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read the libtorch model of the bundle");
    }

    @Test
    void somethingElseIsNotABundle() {
        assertThatThrownBy(() -> ModelBundle.read(new byte[] {1, 2, 3})).hasMessageContaining("not a model bundle");
    }
}
