package org.jbia.cli.command;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.jbia.cli.stack.ProjectHome;
import org.jbia.common.array.ArrayFiles;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.study.Ensemble;
import org.jbia.train.bundle.ModelBundle;
import org.jbia.train.bundle.Prediction;
import org.jbia.train.bundle.Predictor;
import org.jbia.train.model.Preprocessing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bia predict}: applies a model bundle, or a study's ensemble of fold models, to a file of
 * images. The network runs in a child JVM on train-service's packaged classpath (as {@code bia bench}
 * does), so DL4J and its natives stay out of {@code bia}; this process only checks the arguments.
 * {@link Run} is the child's entry point.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Apply a model bundle to images: P(positive) and a label per image.",
                "An ensemble (the zip `bia study model` gives for an opt_cv study) applies each fold model and "
                        + "combines them: their mean probability (average) or the share of them voting positive (vote).",
                "The images are centre-cropped to the model's input size (smaller ones are refused) and normalised "
                        + "as the model was trained. Output: CSV (index,probability,label), or with --out *.npy a "
                        + "float32 array (N, 2) of probability and label; then a summary line."})
public class PredictCommand implements Callable<Integer> {
    static final String RUN_CLASS = "org.jbia.cli.command.PredictCommand$Run";
    /** The manifest that makes a zip an ensemble of fold models rather than one bundle. */
    static final String ENSEMBLE = "ensemble.json";

    @Option(names = "--model", required = true,
            description = "The model bundle zip (from `bia download` or `bia bundle download`), or an ensemble of "
                    + "fold models (from `bia study model`).")
    Path model;

    @Parameters(index = "0", paramLabel = "IMAGES", description = "Images: .npy, .npz or FITS, (N, H, W, C) or (N, H, W).")
    Path images;

    @Option(names = "--array", description = "For .npz the array's name, for FITS the HDU (default: the only one).")
    String array;

    @Option(names = "--threshold",
            description = "Label 1 when the probability exceeds this, strictly between 0 and 1 (default: the bundle's).")
    Double threshold;

    @Option(names = "--combine", paramLabel = "average|vote",
            description = "For an ensemble: average the members' probabilities, or count the members whose probability "
                    + "exceeds the threshold and label 1 on a strict majority (default: the ensemble's own).")
    String combine;

    @Option(names = {"-o", "--out"}, description = "The file to write: .npy, else CSV (default: CSV on standard output).")
    Path out;

    @Override
    public Integer call() throws Exception {
        requireFile("--model", model);
        requireFile("IMAGES", images);
        if (threshold != null && !(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("--threshold = " + threshold + " is not allowed: give a probability "
                    + "strictly between 0 and 1");
        }
        if (combine != null && !Ensemble.COMBINES.contains(combine)) {
            throw new IllegalArgumentException("--combine = " + combine + " is not allowed: give one of "
                    + String.join(", ", Ensemble.COMBINES));
        }
        Path outDir = out == null ? null : out.toAbsolutePath().getParent();
        if (outDir != null && !Files.isDirectory(outDir)) {
            throw new IllegalArgumentException("--out " + out + ": the directory " + outDir + " does not exist");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // ND4J logs through SLF4J, which finds Quarkus' binding unusable outside Quarkus: keep it quiet
                "-Djava.awt.headless=true", "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider",
                "-Dslf4j.internal.verbosity=WARN",
                "-cp", childClasspath(), RUN_CLASS,
                model.toAbsolutePath().toString(), images.toAbsolutePath().toString(), array == null ? "" : array,
                threshold == null ? "" : threshold.toString(), out == null ? "" : out.toAbsolutePath().toString(),
                combine == null ? "" : combine));
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    private static void requireFile(String what, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " " + file + ": no such file");
        }
    }

    /**
     * This JVM's own classpath when it already holds train-service (tests, development); otherwise the
     * packaged train-service (its classes, then its libraries) and then bia's jar for {@link Run}.
     */
    static String childClasspath() {
        try {
            Class.forName("org.jbia.train.bundle.Predictor", false, PredictCommand.class.getClassLoader());
            return System.getProperty("java.class.path");
        } catch (ClassNotFoundException packaged) {
            // bia itself: train-service is not on its classpath
        }
        Path app = ProjectHome.serviceJar(ProjectHome.find(), "train-service").getParent();
        List<String> entries = new ArrayList<>();
        try (var files = Files.list(app.resolve("app"))) {
            files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(f -> entries.add(f.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + app.resolve("app") + ": " + e.getMessage(), e);
        }
        entries.add(app.resolve("lib/main") + "/*");
        try {
            entries.add(Path.of(PredictCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate bia's classes: " + e.getMessage(), e);
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The child JVM: reads the bundle (or ensemble) and the images, predicts, writes and summarises. */
    public static final class Run {
        private Run() {
        }

        /**
         * Arguments: model, images, array ("" for none), threshold ("" for the bundle's), out ("" for stdout),
         * combine ("" for the ensemble's own).
         */
        public static void main(String[] args) {
            // the backend announces itself at INFO; the output is the predictions
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
            int code;
            try {
                code = run(Path.of(args[0]), Path.of(args[1]), blank(args[2]),
                        args[3].isEmpty() ? null : Double.valueOf(args[3]),
                        args[4].isEmpty() ? null : Path.of(args[4]), args.length > 5 ? blank(args[5]) : null,
                        System.out, System.err);
            } catch (RuntimeException e) {
                System.err.println("bia predict: " + e.getMessage());
                code = 1;
            }
            System.exit(code);
        }

        private static String blank(String s) {
            return s.isEmpty() ? null : s;
        }

        static int run(Path model, Path images, String array, Double threshold, Path out, PrintStream stdout,
                       PrintStream stderr) {
            return run(model, images, array, threshold, out, null, stdout, stderr);
        }

        static int run(Path model, Path images, String array, Double threshold, Path out, String combine,
                       PrintStream stdout, PrintStream stderr) {
            byte[] zip;
            try {
                zip = Files.readAllBytes(model);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --model " + model + ": " + e.getMessage(), e);
            }
            Map<String, byte[]> entries = entries(zip);
            ImageStack stack;
            double t;
            Prediction p;
            String by = "";
            String score = "probability";
            if (entries.containsKey(ENSEMBLE)) {
                Ensemble ensemble = ensemble(model, entries, threshold, combine);
                stack = ArrayFiles.read(images, array);
                t = ensemble.threshold();
                p = predict(model, entries, ensemble, stack, images.getFileName().toString());
                by = " by an ensemble of " + ensemble.members().size() + " models (" + ensemble.combine() + ")";
                score = "vote".equals(ensemble.combine()) ? "share of votes" : score;
            } else {
                if (combine != null) {
                    throw new IllegalArgumentException("--combine " + combine + ": --model " + model.getFileName()
                            + " is a single model bundle, not an ensemble of fold models");
                }
                ModelBundle bundle = bundle(model, "", zip);
                stack = ArrayFiles.read(images, array);
                check(stack, bundle.preprocessing(), images.getFileName().toString());
                t = threshold != null ? threshold : bundle.threshold();
                try (Predictor predictor = Predictor.of(bundle)) {
                    p = predictor.predict(stack, t);
                }
            }
            if (out != null && out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
                writeNpy(p, out);
            } else {
                String csv = csv(p);
                if (out == null) {
                    stdout.print(csv);
                } else {
                    write(out, csv.getBytes(StandardCharsets.UTF_8));
                }
            }
            int positive = 0;
            double sum = 0;
            for (int i = 0; i < p.labels().length; i++) {
                positive += p.labels()[i];
                sum += p.probabilities()[i];
            }
            // the summary goes to stderr when the CSV fills stdout
            (out == null ? stderr : stdout).printf(Locale.ROOT,
                    "%d images, %d positive at threshold %s%s (mean %s %.4f)%s%n", p.labels().length, positive,
                    t, by, score,
                    p.labels().length == 0 ? 0.0 : sum / p.labels().length, out == null ? "" : "; wrote " + out);
            return 0;
        }

        /** The ensemble's manifest, with the threshold and combination the user chose in place of its own. */
        static Ensemble ensemble(Path model, Map<String, byte[]> entries, Double threshold, String combine) {
            Ensemble manifest;
            try {
                manifest = JsonCodec.decode(new String(entries.get(ENSEMBLE), StandardCharsets.UTF_8), Ensemble.class);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--model " + model.getFileName() + ": " + ENSEMBLE + " is not a valid "
                        + "ensemble manifest: " + e.getMessage(), e);
            }
            for (String member : manifest.members()) {
                if (!entries.containsKey(member)) {
                    throw new IllegalArgumentException("--model " + model.getFileName() + ": " + ENSEMBLE + " names "
                            + member + ", which the zip does not hold");
                }
            }
            return new Ensemble(manifest.study(), combine != null ? combine : manifest.combine(),
                    threshold != null ? threshold : manifest.threshold(), manifest.members());
        }

        /**
         * Each member predicts on its own preprocessing of the images (one model in memory at a time);
         * the ensemble combines their probabilities into one score and a label per image.
         */
        static Prediction predict(Path model, Map<String, byte[]> entries, Ensemble ensemble, ImageStack stack,
                                  String file) {
            List<float[]> probabilities = new ArrayList<>();
            for (String member : ensemble.members()) {
                ModelBundle bundle = bundle(model, member + ": ", entries.get(member));
                check(stack, bundle.preprocessing(), file);
                try (Predictor predictor = Predictor.of(bundle)) {
                    probabilities.add(predictor.predict(stack, ensemble.threshold()).probabilities());
                }
            }
            float[] scores = ensemble.combine(probabilities);
            boolean[] positive = ensemble.labels(scores);
            int[] labels = new int[positive.length];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = positive[i] ? 1 : 0;
            }
            return new Prediction(scores, labels, ensemble.threshold());
        }

        private static ModelBundle bundle(Path model, String member, byte[] zip) {
            try {
                return ModelBundle.read(zip);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--model " + model.getFileName() + ": " + member + e.getMessage(), e);
            }
        }

        /** The zip's entries by name; none when it is no zip (the bundle reader then says what is wrong). */
        private static Map<String, byte[]> entries(byte[] zip) {
            Map<String, byte[]> entries = new HashMap<>();
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
                for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            } catch (IOException e) {
                return Map.of();
            }
            return entries;
        }

        /** The bundle's own checks, worded for the file the user gave. */
        static void check(ImageStack stack, Preprocessing pre, String file) {
            if (stack.bands() != pre.bands()) {
                throw new IllegalArgumentException(file + " holds images of " + stack.bands() + " band"
                        + (stack.bands() == 1 ? "" : "s") + "; the model takes " + pre.bands() + " band"
                        + (pre.bands() == 1 ? "" : "s"));
            }
            if (stack.height() < pre.size() || stack.width() < pre.size()) {
                throw new IllegalArgumentException(file + " holds " + stack.height() + "x" + stack.width()
                        + " images, smaller than the model's input of " + pre.size() + "x" + pre.size()
                        + ": images must be at least that large (larger ones are centre-cropped)");
            }
        }

        static String csv(Prediction p) {
            StringBuilder b = new StringBuilder("index,probability,label\n");
            for (int i = 0; i < p.labels().length; i++) {
                b.append(i).append(',').append(p.probabilities()[i]).append(',').append(p.labels()[i]).append('\n');
            }
            return b.toString();
        }

        /** Float32 little-endian (N, 2): probability, label. */
        static void writeNpy(Prediction p, Path out) {
            int n = p.labels().length;
            String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ", 2), }";
            int padding = (64 - (10 + dict.length() + 1) % 64) % 64;
            String header = dict + " ".repeat(padding) + "\n";
            ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + n * 8).order(ByteOrder.LITTLE_ENDIAN);
            buf.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
            buf.put(header.getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < n; i++) {
                buf.putFloat(p.probabilities()[i]).putFloat(p.labels()[i]);
            }
            write(out, buf.array());
        }

        private static void write(Path out, byte[] bytes) {
            try {
                Files.write(out, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
            }
        }
    }
}
