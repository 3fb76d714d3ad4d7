package org.jbia.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jbia.cli.Bia;
import org.jbia.common.array.ImageStack;
import org.jbia.common.array.Npy;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.TrainSpec;
import org.jbia.common.schema.study.Ensemble;
import org.jbia.train.backend.Backends;
import org.jbia.train.backend.TrainableModel;
import org.jbia.train.bundle.ModelBundle;
import org.jbia.train.model.BinaryLoss;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.Networks;
import org.jbia.train.model.OptimizerSpec;
import org.jbia.train.model.Preprocessing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code bia predict} on a bundle trained here (DL4J, a small CNN on 12x12 two-band images): the
 * reloaded bundle predicts exactly what the model predicted before it was saved, and bad input is
 * refused naming the file, the value and what is allowed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictCommandTest {
    private static final TrainSpec SPEC = new TrainSpec("custom_cnn", Map.of("filter_1", 6, "filter_size_1", 3,
            "dense_neurons_1", 8, "model_reg", "batch_norm"), 2, 4, "adam", 1e-3, null, null, null, null, null, null,
            null, null, null, null, null, null, true, 0.0, new double[] {50, 80}, null, 0.3, null);

    @TempDir
    static Path dir;

    private Path bundle;
    /** 16x16 images (centre-cropped to the model's 12x12) and the model's probabilities before saving. */
    private ImageStack images;
    private float[] before;
    /** A second model, trained on other labels, and its probabilities: the other fold of an ensemble. */
    private Path otherBundle;
    private float[] otherBefore;

    private static ImageStack random(int n, int size, int bands, long seed) {
        Random r = new Random(seed);
        ImageStack s = ImageStack.zeros(n, size, size, bands);
        for (int i = 0; i < s.pixels().length; i++) {
            s.pixels()[i] = (float) (r.nextDouble() * 100);
        }
        return s;
    }

    @BeforeAll
    void train() throws Exception {
        NetworkSpec net = Networks.build(SPEC.clf(), SPEC.network(), 12, 12, 2);
        Preprocessing pre = Preprocessing.of(SPEC, 12, 2);
        images = random(9, 16, 2, 1);
        ImageStack ready = pre.apply(images, "images");
        try (TrainableModel model = Backends.named("dl4j").create(net, OptimizerSpec.of(SPEC), BinaryLoss.of(SPEC), 4)) {
            for (int i = 0; i < 3; i++) {
                model.fit(ready, new float[] {1, 0, 1, 0, 1, 0, 1, 0, 1});
            }
            before = model.predict(ready);
            bundle = dir.resolve("model.zip");
            Files.write(bundle, new ModelBundle("dl4j", net, pre, SPEC, SPEC.threshold(), "{}", model.save()).write());
        }
        try (TrainableModel model = Backends.named("dl4j").create(net, OptimizerSpec.of(SPEC), BinaryLoss.of(SPEC), 9)) {
            for (int i = 0; i < 3; i++) {
                model.fit(ready, new float[] {0, 0, 1, 1, 0, 0, 1, 1, 0});
            }
            otherBefore = model.predict(ready);
            otherBundle = dir.resolve("other.zip");
            Files.write(otherBundle, new ModelBundle("dl4j", net, pre, SPEC, SPEC.threshold(), "{}", model.save())
                    .write());
        }
    }

    /** A zip as `bia study model` writes it for opt_cv: the fold bundles and ensemble.json naming them. */
    private Path ensemble(String name, String combine, double threshold, List<String> members) throws Exception {
        Path file = dir.resolve(name);
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("fold-1.zip"));
            zip.write(Files.readAllBytes(bundle));
            zip.putNextEntry(new java.util.zip.ZipEntry("fold-2.zip"));
            zip.write(Files.readAllBytes(otherBundle));
            zip.putNextEntry(new java.util.zip.ZipEntry("ensemble.json"));
            zip.write(JsonCodec.encode(new Ensemble("s1", combine, threshold, members)).getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    private Path imagesFile(ImageStack stack, String name) {
        Path file = dir.resolve(name);
        Npy.write(stack, file);
        return file;
    }

    private final StringWriter err = new StringWriter();

    @BeforeEach
    void clearErrors() {
        err.getBuffer().setLength(0);
    }

    private int bia(String... args) {
        CommandLine cli = Bia.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void aReloadedBundlePredictsExactlyAsBeforeSaving() throws Exception {
        Path out = dir.resolve("predictions.csv");
        // the whole command: this process checks, a child JVM predicts
        assertThat(bia("predict", "--model", bundle.toString(), imagesFile(images, "candidates.npy").toString(),
                "--out", out.toString())).as(err.toString()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("index,probability,label");
        assertThat(lines).hasSize(images.count() + 1);
        for (int i = 0; i < images.count(); i++) {
            String[] f = lines.get(i + 1).split(",");
            assertThat(Integer.parseInt(f[0])).isEqualTo(i);
            assertThat(Float.parseFloat(f[1])).as("probability of image %d", i).isEqualTo(before[i]);
            assertThat(Integer.parseInt(f[2])).isEqualTo(before[i] > 0.3 ? 1 : 0);
        }
    }

    @Test
    void npyOutputHoldsProbabilitiesAndLabelsAtTheGivenThreshold() throws Exception {
        Path out = dir.resolve("p.npy");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int code = PredictCommand.Run.run(bundle, imagesFile(images, "c.npy"), null, 0.5, out,
                new PrintStream(stdout, true), System.err);
        assertThat(code).isZero();
        byte[] bytes = Files.readAllBytes(out);
        String header = new String(bytes, 10, bytes[8] & 0xff | (bytes[9] & 0xff) << 8, StandardCharsets.ISO_8859_1);
        assertThat(header).contains("'shape': (9, 2)").contains("'descr': '<f4'");
        ByteBuffer data = ByteBuffer.wrap(bytes, 10 + header.length(), bytes.length - 10 - header.length())
                .order(ByteOrder.LITTLE_ENDIAN);
        int positive = 0;
        for (int i = 0; i < images.count(); i++) {
            assertThat(data.getFloat()).isEqualTo(before[i]);
            float label = data.getFloat();
            assertThat(label).isEqualTo(before[i] > 0.5 ? 1f : 0f);
            positive += (int) label;
        }
        assertThat(stdout.toString()).startsWith("9 images, " + positive + " positive at threshold 0.5 (mean probability ")
                .contains("wrote " + out);
    }

    @Test
    void anEnsembleAveragesItsFoldModelsProbabilities() throws Exception {
        Path model = ensemble("average.zip", "average", 0.4, List.of("fold-1.zip", "fold-2.zip"));
        Path out = dir.resolve("ensemble.csv");
        assertThat(bia("predict", "--model", model.toString(), imagesFile(images, "e.npy").toString(), "--out",
                out.toString())).as(err.toString()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(images.count() + 1);
        boolean differs = false;
        for (int i = 0; i < images.count(); i++) {
            String[] f = lines.get(i + 1).split(",");
            double mean = (before[i] + otherBefore[i]) / 2.0;
            assertThat(Double.parseDouble(f[1])).as("probability of image %d", i).isCloseTo(mean, within(1e-6));
            assertThat(Integer.parseInt(f[2])).as("label of image %d", i).isEqualTo(mean > 0.4 ? 1 : 0);
            differs |= Math.abs(mean - before[i]) > 1e-4;
        }
        // The two folds disagree somewhere, so the average is not simply one member's answer.
        assertThat(differs).isTrue();
    }

    @Test
    void votingLabelsOnAStrictMajorityAtTheGivenThreshold() throws Exception {
        Path model = ensemble("vote.zip", "average", 0.5, List.of("fold-1.zip", "fold-2.zip"));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        Path out = dir.resolve("vote.csv");
        assertThat(PredictCommand.Run.run(model, imagesFile(images, "v.npy"), null, 0.45, out, "vote",
                new PrintStream(stdout, true), System.err)).isZero();
        List<String> lines = Files.readAllLines(out);
        for (int i = 0; i < images.count(); i++) {
            String[] f = lines.get(i + 1).split(",");
            int votes = (before[i] > 0.45 ? 1 : 0) + (otherBefore[i] > 0.45 ? 1 : 0);
            assertThat(Double.parseDouble(f[1])).as("share of votes for image %d", i).isEqualTo(votes / 2.0);
            assertThat(Integer.parseInt(f[2])).as("label of image %d", i).isEqualTo(votes == 2 ? 1 : 0);
        }
        assertThat(stdout.toString()).contains("at threshold 0.45 by an ensemble of 2 models (vote) (mean share of votes ");
    }

    @Test
    void aBadCombinationOrEnsembleIsRefusedNamingIt() throws Exception {
        assertThat(bia("predict", "--model", bundle.toString(), imagesFile(images, "c1.npy").toString(),
                "--combine", "median")).isEqualTo(1);
        assertThat(err.toString()).contains("--combine = median is not allowed: give one of average, vote");
        assertThatThrownBy(() -> PredictCommand.Run.run(bundle, imagesFile(images, "c2.npy"), null, null, null, "vote",
                System.out, System.err))
                .hasMessage("--combine vote: --model model.zip is a single model bundle, not an ensemble of fold models");
        Path missing = ensemble("missing.zip", "average", 0.5, List.of("fold-1.zip", "fold-3.zip"));
        assertThatThrownBy(() -> PredictCommand.Run.run(missing, imagesFile(images, "c3.npy"), null, null, null,
                System.out, System.err))
                .hasMessage("--model missing.zip: ensemble.json names fold-3.zip, which the zip does not hold");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThat(bia("predict", "--model", dir.resolve("nope.zip").toString(),
                imagesFile(images, "m.npy").toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("bia predict: --model ").contains("nope.zip: no such file");
        assertThat(bia("predict", "--model", bundle.toString(), dir.resolve("none.npy").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("bia predict: IMAGES ").contains("none.npy: no such file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "1.5", "-0.2"})
    void aThresholdOutsideTheOpenUnitIntervalIsRefused(String threshold) {
        assertThat(bia("predict", "--model", bundle.toString(), imagesFile(images, "t.npy").toString(),
                "--threshold", threshold)).isEqualTo(1);
        assertThat(err.toString()).contains("--threshold = " + Double.valueOf(threshold)
                + " is not allowed: give a probability strictly between 0 and 1");
    }

    @Test
    void imagesSmallerThanTheInputAreRefusedNamingBothSizes() {
        Path small = imagesFile(random(2, 10, 2, 3), "small.npy");
        assertThatThrownBy(() -> PredictCommand.Run.run(bundle, small, null, null, null, System.out, System.err))
                .hasMessage("small.npy holds 10x10 images, smaller than the model's input of 12x12: images must be at "
                        + "least that large (larger ones are centre-cropped)");
    }

    @Test
    void anotherBandCountIsRefused() {
        Path oneBand = imagesFile(random(2, 12, 1, 4), "one.npy");
        assertThatThrownBy(() -> PredictCommand.Run.run(bundle, oneBand, null, null, null, System.out, System.err))
                .hasMessage("one.npy holds images of 1 band; the model takes 2 bands");
    }

    @Test
    void aZipThatIsNotABundleIsRefused() throws Exception {
        Path notes = dir.resolve("notes.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(notes))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            zip.write("hi".getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> PredictCommand.Run.run(notes, imagesFile(images, "n.npy"), null, null, null,
                System.out, System.err))
                .hasMessageStartingWith("--model notes.zip: not a model bundle: manifest.json is missing");
    }
}
