package org.jbia.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jbia.cli.client.JbiaClient;
import org.jbia.cli.client.JobWatcher;
import org.jbia.common.schema.JobSpec;
import org.jbia.common.schema.JsonCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bia train}: submit a job, follow it to the end, print its metrics and where the model is. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a classifier on two classes of cutouts (pyBIA's Classifier(...).create()). "
                + "Submits a job to the running jBIA services, follows it with a progress bar, then prints the "
                + "metrics and where the model bundle is stored.")
public class TrainCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Mixin
    SpecOptions options;

    @Mixin
    StackOptions stack;

    @Option(names = "--json", description = "Print the final result as one JSON object on stdout.")
    boolean json;

    @Option(names = "--save-model", description = "Also download the model bundle to this file.")
    Path saveModel;

    @Option(names = "--timeout-minutes", defaultValue = "720", description = "Give up following after this long.")
    long timeoutMinutes;

    @Override
    public Integer call() {
        Map<String, Path> arrays = data.arrays();
        return run(stack.client(), options.toSpec(), arrays, json, saveModel, Duration.ofMinutes(timeoutMinutes));
    }

    /** Shared with {@code bia demo}: submit, follow, report. Exit code 0 completed, 1 failed, 2 refused. */
    static int run(JbiaClient client, JobSpec spec, Map<String, Path> arrays, boolean json, Path saveModel,
                   Duration timeout) {
        return submitAndFollow(client, spec, arrays, json, saveModel, timeout).exitCode();
    }

    /** A followed job: the exit code of {@code bia train} and the job's last state (null when it was refused). */
    record Followed(int exitCode, JsonNode job) {
    }

    static Followed submitAndFollow(JbiaClient client, JobSpec spec, Map<String, Path> arrays, boolean json,
                                    Path saveModel, Duration timeout) {
        JsonNode submitted;
        try {
            submitted = client.submit(spec, arrays);
        } catch (JbiaClient.ApiException e) {
            if (e.status() == 400) {
                System.err.println("The job was refused:");
                try {
                    for (JsonNode p : JsonCodec.mapper().readTree(e.body()).path("problems")) {
                        System.err.println("  - " + p.asText());
                    }
                } catch (java.io.IOException notJson) {
                    System.err.println("  " + e.body());
                }
                return new Followed(2, null);
            }
            throw e;
        }
        String id = submitted.path("id").asText();
        System.err.println("job " + id + " submitted (seed " + submitted.path("seed").asText() + ")");
        JsonNode job = new JobWatcher(client, System.err, System.console() != null).follow(id, timeout);
        boolean completed = job.path("state").asText().equals("COMPLETED");
        if (completed && saveModel != null) {
            try {
                Files.write(saveModel, client.model(id));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot write " + saveModel + ": " + e.getMessage(), e);
            }
        }
        if (json) {
            System.out.println(JsonCodec.encode(summary(job, saveModel)));
        } else {
            printHuman(job, saveModel);
        }
        return new Followed(completed ? 0 : 1, job);
    }

    static ObjectNode summary(JsonNode job, Path savedModel) {
        ObjectNode s = JsonCodec.mapper().createObjectNode();
        s.put("job_id", job.path("id").asText());
        s.put("state", job.path("state").asText());
        JsonNode result = job.path("result");
        if (!result.isMissingNode() && !result.isNull()) {
            result.path("metrics").fields().forEachRemaining(e -> s.set(e.getKey(), e.getValue()));
            s.put("epochs_run", result.path("epochs_run").asInt());
            s.put("stop_reason", result.path("stop_reason").asText());
            s.set("model", result.path("model"));
            s.set("report", result.path("report"));
        }
        if (job.hasNonNull("failure")) {
            s.put("failure", job.path("failure").asText());
        }
        if (savedModel != null) {
            s.put("saved_model", savedModel.toAbsolutePath().toString());
        }
        return s;
    }

    private static void printHuman(JsonNode job, Path savedModel) {
        if (!job.path("state").asText().equals("COMPLETED")) {
            System.out.println("job " + job.path("id").asText() + " FAILED: " + job.path("failure").asText());
            return;
        }
        JsonNode result = job.path("result");
        System.out.println("job " + job.path("id").asText() + " completed: " + result.path("epochs_run").asInt()
                + " epochs (" + result.path("stop_reason").asText() + ") on " + result.path("worker").asText());
        java.util.TreeMap<String, Double> metrics = new java.util.TreeMap<>();
        result.path("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
        metrics.forEach((name, value) -> System.out.printf("  %-22s %.4f%n", name, value));
        JsonNode model = result.path("model");
        System.out.println("model:  " + "s3://" + model.path("bucket").asText() + "/" + model.path("key").asText()
                + "  (" + model.path("size").asLong() + " bytes, sha256 " + model.path("sha256").asText() + ")");
        JsonNode report = result.path("report");
        System.out.println("report: s3://" + report.path("bucket").asText() + "/" + report.path("key").asText());
        if (savedModel != null) {
            System.out.println("saved:  " + savedModel.toAbsolutePath());
        }
    }
}
