package org.jbia.cli.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.jbia.cli.Bia;
import org.jbia.common.schema.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainingPlotsTest {
    static final String REPORT = """
            {"network": "alexnet", "kept_epoch": 2,
             "history": {"loss": [0.7, 0.5, 0.45], "binary_accuracy": [0.5, 0.7, 0.8], "f1_score": [0.4, 0.6, 0.7],
                         "val_loss": [0.72, 0.6, 0.65], "val_binary_accuracy": [0.5, 0.65, 0.6],
                         "val_f1_score": [0.3, 0.5, 0.45]},
             "evaluation": {"test": {"positives": 3, "negatives": 4, "auroc": 0.75, "tpr0": 0.33, "tpr10": 1.0,
                                     "roc_fpr": [0, 0, 0.5, 1], "roc_tpr": [0, 0.33, 1, 1]}}}
            """;

    @TempDir
    Path dir;

    private static JsonNode report(String json) throws Exception {
        return JsonCodec.mapper().readTree(json);
    }

    private static BufferedImage decode(byte[] png) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).as("a decodable PNG").isNotNull();
        return image;
    }

    @Test
    void historyHasThreePanelsSideBySide() throws Exception {
        BufferedImage image = decode(TrainingPlots.history(report(REPORT)));
        assertThat(image.getWidth()).isEqualTo(3 * image.getHeight() * 520 / 400);
        // Each panel is a chart of its own: its white plot area differs from a blank image.
        assertThat(colours(image)).isGreaterThan(10);
    }

    @Test
    void rocIsDrawnForEachEvaluation() throws Exception {
        BufferedImage image = decode(TrainingPlots.roc(report(REPORT)));
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(colours(image)).isGreaterThan(10);
    }

    @Test
    void aReportWithoutHistoryOrEvaluationIsRefusedByName() throws Exception {
        assertThatThrownBy(() -> TrainingPlots.history(report("{\"network\": \"alexnet\"}")))
                .hasMessageContaining("'history'");
        assertThatThrownBy(() -> TrainingPlots.roc(report("{\"history\": {\"loss\": [1]}}")))
                .hasMessageContaining("'evaluation'");
        assertThatThrownBy(() -> TrainingPlots.roc(report(
                "{\"evaluation\": {\"test\": {\"roc_fpr\": [0, 1], \"roc_tpr\": [0]}}}")))
                .hasMessageContaining("'test'").hasMessageContaining("roc_tpr 1 points");
    }

    @Test
    void plotCommandDrawsFromABundleAndNamesBadInput() throws Exception {
        Path bundle = dir.resolve("model.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bundle))) {
            zip.putNextEntry(new ZipEntry("report.json"));
            zip.write(REPORT.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        Path out = dir.resolve("roc.png");
        assertThat(run("plot", "roc", "--model", bundle.toString(), "-o", out.toString()).code).isZero();
        assertThat(decode(Files.readAllBytes(out)).getWidth()).isEqualTo(640);

        Result bad = run("plot", "curves", "--model", bundle.toString(), "-o", out.toString());
        assertThat(bad.code).isNotZero();
        assertThat(bad.err).contains("KIND = 'curves' is not allowed").contains("history or roc");

        Result missing = run("plot", "roc", "--model", dir.resolve("nope.zip").toString(), "-o", out.toString());
        assertThat(missing.err).contains("nope.zip: no such file");

        Path notBundle = dir.resolve("empty.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(notBundle))) {
            zip.putNextEntry(new ZipEntry("other.txt"));
            zip.closeEntry();
        }
        assertThat(run("plot", "history", "--model", notBundle.toString(), "-o", out.toString()).err)
                .contains("not a model bundle (it has no report.json)");
    }

    private record Result(int code, String err) {
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Bia.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, err.toString());
    }

    private static long colours(BufferedImage image) {
        return java.util.stream.IntStream.range(0, image.getWidth() * image.getHeight())
                .map(i -> image.getRGB(i % image.getWidth(), i / image.getWidth())).distinct().count();
    }
}
