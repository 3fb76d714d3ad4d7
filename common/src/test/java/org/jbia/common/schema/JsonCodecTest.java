package org.jbia.common.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
    private static final ObjectRef REF = new ObjectRef("jbia", "jobs/j/input/positive.npy", 120, "ab12",
            new int[] {20, 100, 100, 3}, "float32");

    @Test
    void eventsRoundTripWithPyBiaNames() {
        TrainRequested event = new TrainRequested(1, "j", "j:train", 2, new DatasetRefs(REF, REF, null, null, null, null),
                new TrainSpec("resnet18", Map.of("filter_1", 32), 5, null, "adam", null, null, null, null, 0.8, null,
                        null, null, null, null, null, null, null, true, null, new double[] {100, 90, 80}, null, null,
                        null), 42);
        String json = JsonCodec.encode(event);
        assertThat(json).contains("\"job_id\":\"j\"").contains("\"beta_1\":0.8").contains("\"max_pixel\":[100.0,90.0,80.0]")
                .contains("\"val_positive\":null");
        TrainRequested back = JsonCodec.decodeEvent(json, TrainRequested.class);
        assertThat(back.spec()).isEqualTo(event.spec());
        assertThat(back.data()).isEqualTo(event.data());
        assertThat(back.attempt()).isEqualTo(2);
    }

    @Test
    void absentSpecFieldsTakePyBiasDefaults() {
        TrainSpec spec = JsonCodec.decode("{\"clf\":\"vgg16\"}", TrainSpec.class);
        assertThat(spec.optimizer()).isEqualTo("sgd");
        assertThat(spec.lr()).isEqualTo(1e-4);
        assertThat(spec.momentum()).isEqualTo(0.9);
        assertThat(spec.batchSize()).isEqualTo(32);
        assertThat(spec.epochs()).isEqualTo(25);
        assertThat(spec.patience()).isEqualTo(5);
        assertThat(spec.metric()).isEqualTo("loss");
        assertThat(spec.normalize()).isFalse();
    }

    @Test
    void anUnknownFieldIsNamed() {
        assertThatThrownBy(() -> JsonCodec.decode("{\"epoch\": 3}", TrainSpec.class))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("not a valid TrainSpec").hasMessageContaining("\"epoch\"");
    }

    @Test
    void malformedEventsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> JsonCodec.decodeEvent("{not json", TrainFailed.class))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("not a valid TrainFailed");
        assertThatThrownBy(() -> JsonCodec.decodeEvent("", TrainFailed.class))
                .hasMessageContaining("empty document");
        assertThatThrownBy(() -> JsonCodec.decodeEvent(
                "{\"version\":9,\"job_id\":\"j\",\"request_id\":\"r\",\"attempt\":1,\"worker\":\"w\",\"reason\":\"x\"}",
                TrainFailed.class)).hasMessageContaining("version 9").hasMessageContaining("versions 1 to 1");
        assertThatThrownBy(() -> JsonCodec.decodeEvent(
                "{\"version\":1,\"job_id\":\"\",\"request_id\":\"r\",\"attempt\":1,\"worker\":\"w\",\"reason\":\"x\"}",
                TrainFailed.class)).hasMessageContaining("no job_id");
    }

    @Test
    void specProblemsNameFieldValueAndWhatIsAllowed() {
        TrainSpec bad = new TrainSpec("lenet", null, 0, -2, "sgdd", -1.0, 1.0, null, null, null, null, null, null,
                "dice", null, null, "accuracy", null, null, 10.0, new double[] {5}, null, null, "tensorflow");
        assertThat(bad.problems().messages()).contains(
                "clf = 'lenet' is not allowed: expected one of alexnet, resnet18, vgg16, custom_cnn",
                "epochs = 0 is not allowed: it must be > 0",
                "batch_size = -2 is not allowed: it must be > 0",
                "optimizer = 'sgdd' is not allowed: expected one of sgd, adam, adamax, nadam, adadelta, rmsprop",
                "lr = -1.0 is not allowed: it must be > 0",
                "max_pixel = [5.0] is not allowed: every value must be greater than min_pixel = 10.0",
                "backend = 'tensorflow' is not allowed: expected one of dl4j, libtorch")
                .anyMatch(m -> m.startsWith("momentum = 1.0"))
                .anyMatch(m -> m.startsWith("loss = 'dice'"))
                .anyMatch(m -> m.startsWith("metric = 'accuracy'"));
        AugmentSpec augment = JsonCodec.decode("{\"batch\":0,\"zoom_range\":[1.2,0.9],\"fill\":\"mirror\","
                + "\"blend_multiplier\":0.5}", AugmentSpec.class);
        assertThat(augment.problems("augment_positive.").messages())
                .anyMatch(m -> m.startsWith("augment_positive.batch = 0"))
                .anyMatch(m -> m.startsWith("augment_positive.zoom_range = [1.2, 0.9]"))
                .anyMatch(m -> m.startsWith("augment_positive.fill = 'mirror'") && m.contains("constant, nearest"))
                .anyMatch(m -> m.startsWith("augment_positive.blend_multiplier = 0.5"));
    }
}
