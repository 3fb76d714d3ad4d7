package org.jbia.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jbia.cli.client.StudyClient;
import org.jbia.cli.plot.StudyPlots;
import org.jbia.common.schema.JsonCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bia study show|trials|plot|list|watch|model}: a study's record, trials table, plots and model. */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Look at studies (bia optimize): their state and best values, the trials table, the "
                + "optimisation-history and parameter-importance plots, the final model.",
        subcommands = {StudyCommand.Show.class, StudyCommand.Trials.class, StudyCommand.Plot.class,
                StudyCommand.ListStudies.class, StudyCommand.Watch.class, StudyCommand.Model.class})
public class StudyCommand {

    /** {@code bia study show ID}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "The study's state, best values, parameter importances, final model and record.")
    static class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "STUDY", description = "The study id.")
        String id;

        @Mixin
        StackOptions stack;

        @Option(names = "--json", description = "Print the study as the API gives it.")
        boolean json;

        @Override
        public Integer call() {
            JsonNode study = new StudyClient(stack.url()).study(id);
            if (json) {
                System.out.println(JsonCodec.encode(study));
            } else {
                printSummary(study, System.out);
            }
            return 0;
        }
    }

    /** {@code bia study trials ID}. */
    @Command(name = "trials", mixinStandardHelpOptions = true,
            description = "The trials table: number, state, score, best so far, workers and the reason of a pruned or "
                    + "failed trial; --csv for every parameter and metric as columns.")
    static class Trials implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "STUDY", description = "The study id.")
        String id;

        @Mixin
        StackOptions stack;

        @Option(names = "--csv", description = "Print the full table as CSV.")
        boolean csv;

        @Option(names = "--json", description = "Print the rows as JSON.")
        boolean json;

        @Option(names = "--out", description = "Write the table to this file instead (CSV, or JSON with --json).")
        Path out;

        @Override
        public Integer call() {
            StudyClient client = new StudyClient(stack.url());
            String text;
            if (json) {
                text = JsonCodec.encodePretty(client.trials(id)) + "\n";
            } else if (csv || out != null) {
                text = client.trialsCsv(id);
            } else {
                text = table(client.trials(id));
            }
            if (out != null) {
                OptimizeCommand.write(out, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                System.err.println("wrote " + out.toAbsolutePath());
            } else {
                System.out.print(text);
            }
            return 0;
        }
    }

    /** {@code bia study plot ID}. */
    @Command(name = "plot", mixinStandardHelpOptions = true,
            description = "Write the optimisation history (score per trial, best so far) and the parameter importances "
                    + "as PNG files.")
    static class Plot implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "STUDY", description = "The study id.")
        String id;

        @Mixin
        StackOptions stack;

        @Option(names = "--out", defaultValue = ".", description = "Directory for history.png and importance.png "
                + "(default: here).")
        Path out;

        @Override
        public Integer call() {
            return writePlots(new StudyClient(stack.url()), id, out, System.err) ? 0 : 1;
        }
    }

    /** {@code bia study list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every study, newest first.")
    static class ListStudies implements Callable<Integer> {
        @Mixin
        StackOptions stack;

        @Override
        public Integer call() {
            for (JsonNode s : new StudyClient(stack.url()).studies()) {
                System.out.println(s.path("id").asText() + "  " + s.path("phase").asText() + "  "
                        + (s.hasNonNull("name") ? s.path("name").asText() + "  " : "") + OptimizeCommand.progress(s));
            }
            return 0;
        }
    }

    /** {@code bia study watch ID}. */
    @Command(name = "watch", mixinStandardHelpOptions = true, description = "Follow a running study to its end.")
    static class Watch implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "STUDY", description = "The study id.")
        String id;

        @Mixin
        StackOptions stack;

        @Override
        public Integer call() {
            JsonNode s = OptimizeCommand.follow(new StudyClient(stack.url()), id, System.err, System.console() != null,
                    Duration.ofDays(7));
            printSummary(s, System.out);
            return s.path("phase").asText().equals("COMPLETED") ? 0 : 1;
        }
    }

    /** {@code bia study model ID --out FILE}. */
    @Command(name = "model", mixinStandardHelpOptions = true, description = "Download the final model: its bundle, or "
            + "with opt_cv the ensemble of fold models (a zip of fold-k.zip bundles and ensemble.json).")
    static class Model implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "STUDY", description = "The study id.")
        String id;

        @Mixin
        StackOptions stack;

        @Option(names = "--out", required = true, description = "Where to write it.")
        Path out;

        @Option(names = "--fold", description = "With opt_cv: only this fold's model (1, 2, ...).")
        Integer fold;

        @Override
        public Integer call() {
            OptimizeCommand.write(out, new StudyClient(stack.url()).model(id, fold));
            System.err.println("wrote " + out.toAbsolutePath());
            return 0;
        }
    }

    /** The study for a reader: state, counts, best values, importances, models, record. */
    static void printSummary(JsonNode s, PrintStream out) {
        out.println("study " + s.path("id").asText() + (s.hasNonNull("name") ? " (" + s.path("name").asText() + ")" : "")
                + ": " + s.path("phase").asText());
        out.println("  " + OptimizeCommand.progress(s));
        JsonNode best = s.path("best");
        if (best.isObject()) {
            out.printf(Locale.ROOT, "best: trial %d, score %.4f%n", best.path("number").asInt(),
                    best.path("value").asDouble());
            for (Iterator<Map.Entry<String, JsonNode>> it = best.path("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.printf("  %-22s %s%n", e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue());
            }
        }
        JsonNode importances = s.path("importances");
        if (importances.isObject() && !importances.isEmpty()) {
            out.println("importances:");
            for (Iterator<Map.Entry<String, JsonNode>> it = importances.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.printf(Locale.ROOT, "  %-22s %.3f%n", e.getKey(), e.getValue().asDouble());
            }
        }
        for (JsonNode m : s.path("models")) {
            out.println("model:  s3://" + m.path("bucket").asText() + "/" + m.path("key").asText() + "  ("
                    + m.path("size").asLong() + " bytes, sha256 " + m.path("sha256").asText() + ")");
        }
        out.println("record:");
        for (JsonNode h : s.path("history")) {
            out.println("  [" + h.path("phase").asText() + "] " + h.path("detail").asText());
        }
    }

    /** The trials as a fixed-width table. */
    static String table(JsonNode trials) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%5s  %-8s %9s %9s  %-24s %s%n", "trial",
                "state", "score", "best", "workers", "reason"));
        for (JsonNode r : trials) {
            t.append(String.format(Locale.ROOT, "%5d  %-8s %9s %9s  %-24s %s%n", r.path("number").asInt(),
                    r.path("state").asText(), number(r.path("value")), number(r.path("best_so_far")),
                    String.join(" ", JsonCodec.mapper().convertValue(r.path("workers"), String[].class)),
                    r.path("reason").asText("")));
        }
        return t.toString();
    }

    private static String number(JsonNode v) {
        return v.isNumber() ? String.format(Locale.ROOT, "%.4f", v.asDouble()) : "-";
    }

    /** Writes history.png and importance.png; says which could not be drawn yet and why. */
    static boolean writePlots(StudyClient client, String id, Path dir, PrintStream err) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        JsonNode study = client.study(id);
        String title = study.hasNonNull("name") ? study.path("name").asText() : id;
        boolean all = true;
        try {
            Path file = dir.resolve("history.png");
            OptimizeCommand.write(file, StudyPlots.history(client.trials(id), title));
            err.println("wrote " + file.toAbsolutePath());
        } catch (IllegalArgumentException e) {
            err.println("no history plot: " + e.getMessage());
            all = false;
        }
        try {
            Path file = dir.resolve("importance.png");
            OptimizeCommand.write(file, StudyPlots.importance(study.path("importances"), title));
            err.println("wrote " + file.toAbsolutePath());
        } catch (IllegalArgumentException e) {
            err.println("no importance plot: " + e.getMessage());
            all = false;
        }
        return all;
    }
}
