package org.jbia.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.jbia.cli.plot.TrainingPlots;
import org.jbia.common.schema.JsonCodec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bia plot history|roc}: pyBIA's training plots, from a model bundle or a finished job. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Plot a trained model as a PNG: 'history' (accuracy, loss and F1 per epoch, training and "
                + "validation: pyBIA's plot_performance) or 'roc' (ROC curves of the validation and test sets with "
                + "AUROC and TPR at 0 and 10 false positives). From a model bundle file or a job of the running "
                + "stack.")
public class PlotCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "KIND", description = "history or roc.")
    String kind;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static class Source {
        @Option(names = "--model", description = "A model bundle (.zip, from bia train --save-model or bia download).")
        Path model;

        @Option(names = "--job", description = "A job id of the running stack.")
        String job;
    }

    @Option(names = {"-o", "--out"}, required = true, description = "The PNG file to write.")
    Path out;

    @Mixin
    StackOptions stack;

    @Override
    public Integer call() throws IOException {
        if (!kind.equals("history") && !kind.equals("roc")) {
            throw new IllegalArgumentException("KIND = '" + kind + "' is not allowed: it must be history or roc");
        }
        JsonNode report = source.model != null ? reportOf(source.model) : stack.client().report(source.job);
        byte[] png = kind.equals("history") ? TrainingPlots.history(report) : TrainingPlots.roc(report);
        Files.write(out, png);
        System.out.println("wrote " + out);
        return 0;
    }

    /** The report.json of a model bundle. */
    static JsonNode reportOf(Path bundle) {
        if (!Files.isRegularFile(bundle)) {
            throw new IllegalArgumentException("--model " + bundle + ": no such file");
        }
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(bundle)))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().equals("report.json")) {
                    return JsonCodec.mapper().readTree(zip.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("--model " + bundle + ": not a readable zip (" + e.getMessage() + ")", e);
        }
        throw new IllegalArgumentException("--model " + bundle + ": not a model bundle (it has no report.json)");
    }
}
