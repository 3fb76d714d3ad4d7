package org.jbia.train.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Random;
import org.jbia.common.array.ImageStack;
import org.jbia.common.data.CenterCrop;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.TrainSpec;
import org.jbia.train.backend.TrainableModel;
import org.jbia.train.backend.dl4j.Dl4jBackend;
import org.jbia.train.model.BinaryLoss;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.Networks;
import org.jbia.train.model.OptimizerSpec;
import org.jbia.train.model.Preprocessing;
import org.junit.jupiter.api.Test;

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

    private static Trained trained() {
        NetworkSpec net = Networks.build(SPEC.clf(), SPEC.network(), 12, 12, 2);
        Preprocessing pre = Preprocessing.of(SPEC, 12, 2);
        ImageStack images = random(10, 12, 1);
        ImageStack ready = pre.apply(images, "images");
        try (TrainableModel model = Dl4jBackend.instance().create(net, OptimizerSpec.of(SPEC),
                BinaryLoss.of(SPEC), 4)) {
            for (int i = 0; i < 3; i++) {
                model.fit(ready, new float[] {1, 0, 1, 0, 1, 0, 1, 0, 1, 0});
            }
            float[] before = model.predict(ready);
            return new Trained(new ModelBundle("dl4j", net, pre, SPEC, SPEC.threshold(), "{\"history\":{}}",
                    model.save()), before, images);
        }
    }

    @Test
    void aBundleRoundTripsAndItsModelPredictsExactlyAsBeforeSaving() {
        Trained t = trained();
        ModelBundle back = ModelBundle.read(t.bundle().write());
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

    @Test
    void largerImagesAreCentreCroppedSmallerOnesRefused() {
        Trained t = trained();
        ImageStack big = random(3, 16, 8);
        try (Predictor predictor = Predictor.of(t.bundle())) {
            assertThat(predictor.predict(big).probabilities())
                    .containsExactly(predictor.predict(CenterCrop.crop(big, 12)).probabilities());
            assertThatThrownBy(() -> predictor.predict(random(2, 10, 3))).isInstanceOf(InvalidSpecException.class)
                    .hasMessageContaining("images are 10x10, smaller than the network's input of 12x12");
            assertThatThrownBy(() -> predictor.predict(t.images(), 1.5)).hasMessageContaining("threshold = 1.5");
        }
    }

    @Test
    void somethingElseIsNotABundle() {
        assertThatThrownBy(() -> ModelBundle.read(new byte[] {1, 2, 3})).hasMessageContaining("not a model bundle");
    }
}
