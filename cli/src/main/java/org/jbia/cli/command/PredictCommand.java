package org.jbia.cli.command;

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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jbia.cli.stack.ProjectHome;
import org.jbia.common.array.ArrayFiles;
import org.jbia.common.array.ImageStack;
import org.jbia.train.bundle.ModelBundle;
import org.jbia.train.bundle.Prediction;
import org.jbia.train.bundle.Predictor;
import org.jbia.train.model.Preprocessing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bia predict}: applies a model bundle to a file of images. The network runs in a child JVM on
 * train-service's packaged classpath (as {@code bia bench} does), so DL4J and its natives stay out of
 * {@code bia}; this process only checks the arguments. {@link Run} is the child's entry point.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Apply a model bundle to images: P(positive) and a label per image.",
                "The images are centre-cropped to the model's input size (smaller ones are refused) and normalised "
                        + "as the model was trained. Output: CSV (index,probability,label), or with --out *.npy a "
                        + "float32 array (N, 2) of probability and label; then a summary line."})
public class PredictCommand implements Callable<Integer> {
    static final String RUN_CLASS = "org.jbia.cli.command.PredictCommand$Run";

    @Option(names = "--model", required = true,
            description = "The model bundle zip (from `bia download` or `bia bundle download`).")
    Path model;

    @Parameters(index = "0", paramLabel = "IMAGES", description = "Images: .npy, .npz or FITS, (N, H, W, C) or (N, H, W).")
    Path images;

    @Option(names = "--array", description = "For .npz the array's name, for FITS the HDU (default: the only one).")
    String array;

    @Option(names = "--threshold",
            description = "Label 1 when the probability exceeds this, strictly between 0 and 1 (default: the bundle's).")
    Double threshold;

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
                threshold == null ? "" : threshold.toString(), out == null ? "" : out.toAbsolutePath().toString()));
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

    /** The child JVM: reads the bundle and the images, predicts, writes and summarises. */
    public static final class Run {
        private Run() {
        }

        /** Arguments: model, images, array ("" for none), threshold ("" for the bundle's), out ("" for stdout). */
        public static void main(String[] args) {
            // the backend announces itself at INFO; the output is the predictions
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
            int code;
            try {
                code = run(Path.of(args[0]), Path.of(args[1]), blank(args[2]),
                        args[3].isEmpty() ? null : Double.valueOf(args[3]),
                        args[4].isEmpty() ? null : Path.of(args[4]), System.out, System.err);
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
            ModelBundle bundle;
            try {
                bundle = ModelBundle.read(Files.readAllBytes(model));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --model " + model + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--model " + model.getFileName() + ": " + e.getMessage(), e);
            }
            ImageStack stack = ArrayFiles.read(images, array);
            check(stack, bundle.preprocessing(), images.getFileName().toString());
            double t = threshold != null ? threshold : bundle.threshold();
            Prediction p;
            try (Predictor predictor = Predictor.of(bundle)) {
                p = predictor.predict(stack, t);
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
                    "%d images, %d positive at threshold %s (mean probability %.4f)%s%n", p.labels().length, positive,
                    t, p.labels().length == 0 ? 0.0 : sum / p.labels().length,
                    out == null ? "" : "; wrote " + out);
            return 0;
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
