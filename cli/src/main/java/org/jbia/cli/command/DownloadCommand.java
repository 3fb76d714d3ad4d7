package org.jbia.cli.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jbia.cli.client.JbiaClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bia download}: a job's model bundle, report, or data as trained on (pyBIA's
 * {@code overwrite_training}: the augmented classes are kept with the job).
 */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Download what a job produced or trained on: --what model (the bundle zip), report (history and "
                + "evaluation, JSON), or a data set as trained on (positive, negative, val_positive, val_negative, "
                + "test_positive, test_negative: .npy, augmented when the job augmented it).")
public class DownloadCommand implements Callable<Integer> {
    @Option(names = "--job", required = true, description = "The job id.")
    String job;

    @Option(names = "--what", defaultValue = "model", description = "model, report, or a data set name (default model).")
    String what;

    @Option(names = {"-o", "--out"}, required = true, description = "The file to write.")
    Path out;

    @Mixin
    StackOptions stack;

    @Override
    public Integer call() {
        JbiaClient client = stack.client();
        byte[] bytes = switch (what) {
            case "model" -> client.model(job);
            case "report" -> client.report(job).toPrettyString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            default -> client.data(job, what);
        };
        try {
            Files.write(out, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
        System.out.println("wrote " + out.toAbsolutePath() + " (" + bytes.length + " bytes)");
        return 0;
    }
}
