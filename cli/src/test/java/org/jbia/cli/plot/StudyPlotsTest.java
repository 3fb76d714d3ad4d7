package org.jbia.cli.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.jbia.common.schema.JsonCodec;
import org.junit.jupiter.api.Test;

class StudyPlotsTest {

    private static BufferedImage image(byte[] png) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    @Test
    void theHistoryShowsEachScoreAndTheBestSoFar() throws Exception {
        JsonNode trials = JsonCodec.mapper().readTree("[{\"number\": 0, \"state\": \"COMPLETE\", \"value\": 0.5, "
                + "\"best_so_far\": 0.5}, {\"number\": 1, \"state\": \"PRUNED\", \"best_so_far\": 0.5}, "
                + "{\"number\": 2, \"state\": \"COMPLETE\", \"value\": 0.8, \"best_so_far\": 0.8}, "
                + "{\"number\": 3, \"state\": \"RUNNING\"}]");
        BufferedImage png = image(StudyPlots.history(trials, "lenses"));
        assertThat(png.getWidth()).isEqualTo(800);
        assertThat(png.getHeight()).isEqualTo(480);
    }

    @Test
    void aHistoryNeedsACompletedTrial() throws Exception {
        JsonNode trials = JsonCodec.mapper().readTree("[{\"number\": 0, \"state\": \"RUNNING\"}]");
        assertThatThrownBy(() -> StudyPlots.history(trials, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no trial has completed yet");
    }

    @Test
    void theImportancesAreBars() throws Exception {
        JsonNode importances = JsonCodec.mapper().readTree("{\"lr\": 0.7, \"optimizer\": 0.2, \"batch_size\": 0.1}");
        assertThat(image(StudyPlots.importance(importances, "lenses")).getWidth()).isEqualTo(800);
        assertThatThrownBy(() -> StudyPlots.importance(JsonCodec.mapper().readTree("{\"lr\": 0}"), "x"))
                .hasMessageContaining("no parameter importances yet");
    }
}
