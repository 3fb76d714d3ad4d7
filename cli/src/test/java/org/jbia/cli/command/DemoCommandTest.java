package org.jbia.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.jbia.common.schema.JsonCodec;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void phasesSplitTheJobAtItsStateChangesAndTheReportsTrainingTime() {
        JsonNode job = JsonCodec.decode("""
                {"history": [{"at_millis": 1000, "state": "SUBMITTED"}, {"at_millis": 1500, "state": "AUGMENTING"},
                 {"at_millis": 31000, "state": "TRAINING"}, {"at_millis": 431000, "state": "COMPLETED"}]}""",
                JsonNode.class);
        JsonNode report = JsonCodec.decode("{\"train_seconds\": 360.0, \"epochs_run\": 12}", JsonNode.class);

        assertThat(DemoCommand.phases(42.4, job, report)).isEqualTo("time: simulate 42 s, augment 30 s, "
                + "train 360 s (12 epochs, 30.0 s each), evaluate and save 40 s");
    }

    @Test
    void aJobWithoutItsStateChangesStillReportsTheSimulation() {
        JsonNode job = JsonCodec.decode("{\"history\": [{\"at_millis\": 1000, \"state\": \"SUBMITTED\"}]}",
                JsonNode.class);

        assertThat(DemoCommand.phases(7, job, JsonCodec.decode("{}", JsonNode.class)))
                .startsWith("time: simulate 7 s").contains("incomplete").contains("SUBMITTED");
    }
}
