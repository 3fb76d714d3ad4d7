package org.jbia.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jbia.cli.client.JbiaClient;
import org.jbia.cli.client.StudyClient;
import org.jbia.common.schema.JobSpec;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.MalformedEventException;
import org.jbia.common.schema.study.StudySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bia optimize}: a study, pyBIA's {@code create()} with {@code optimize=True}. Submits it,
 * follows it (trials done, best so far), then prints the best values and where the model is.
 */
@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = "Tune a classifier (pyBIA's create() with optimize=True): n-iter trials, each an augment+train "
                + "job with sampled values, n-parallel at a time across the train-service instances, then a final fit "
                + "with the best values for --epochs epochs (0: tune only). Options take pyBIA's names in kebab case; "
                + "--epochs, --patience and --metric are the study's (final-fit epochs, patience, score).")
public class OptimizeCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--spec-file", description = "A study spec as JSON ({\"train\": {...}, \"optimize\": {...}}); "
            + "the options given here override its fields.")
    Path specFile;

    @Mixin
    SpecOptions options;

    @Spec
    CommandSpec command;

    @Mixin
    StackOptions stack;

    @Option(names = "--n-iter", description = "Trials (default 25).")
    Integer nIter;

    @Option(names = "--n-parallel", description = "Trials in flight at once (default 1).")
    Integer nParallel;

    @Option(names = "--train-epochs", description = "Epochs of each trial (default 25).")
    Integer trainEpochs;

    @Option(names = "--metric2", description = "Extra early-stopping monitor inside trials.")
    String metric2;

    @Option(names = "--metric3", description = "Another one.")
    String metric3;

    @Option(names = "--average", negatable = true, description = "Score the mean over epochs (default) or the last.")
    Boolean average;

    @Option(names = "--post-metric", negatable = true, description = "Include the test metric in the score (default).")
    Boolean postMetric;

    @Option(names = "--test-acc-threshold", description = "Prune trials whose test accuracy is below this.")
    Double testAccThreshold;

    @Option(names = "--opt-model", negatable = true, description = "Tune the architecture (default on).")
    Boolean optModel;

    @Option(names = "--limit-search", negatable = true, description = "Only pooling types for alexnet/vgg16/resnet18 "
            + "(default on).")
    Boolean limitSearch;

    @Option(names = "--opt-cv", description = "Folds of the validation rotation (needs validation data).")
    Integer optCv;

    @Option(names = "--opt-aug", negatable = true, description = "Tune the augmentation (default off).")
    Boolean optAug;

    @Option(names = "--batch-size-min", description = "Tuned batch size range (default 16).")
    Integer batchSizeMin;

    @Option(names = "--batch-size-max", description = "(default 64).")
    Integer batchSizeMax;

    @Option(names = "--batch-min", description = "Augmentations per positive, tuned range (default 2).")
    Integer batchMin;

    @Option(names = "--batch-max", description = "(default 25).")
    Integer batchMax;

    @Option(names = "--batch-other", description = "Augmentations per negative (default 1; 0 = crop only).")
    Integer batchOther;

    @Option(names = "--balance", negatable = true, description = "No more negatives than positives (default on).")
    Boolean balance;

    @Option(names = "--image-size-min", description = "Tuned crop range (default 50).")
    Integer imageSizeMin;

    @Option(names = "--image-size-max", description = "(default 100).")
    Integer imageSizeMax;

    @Option(names = "--opt-max-min-pix", description = "Tuned max_pixel range, per band.")
    Integer optMaxMinPix;

    @Option(names = "--opt-max-max-pix", description = "(give both).")
    Integer optMaxMaxPix;

    @Option(names = "--shift", description = "Largest shift in pixels (default 10).")
    Integer shift;

    @Option(names = "--rotation", negatable = true, description = "Random rotation.")
    Boolean rotation;

    @Option(names = "--horizontal", negatable = true, description = "Random horizontal flip.")
    Boolean horizontal;

    @Option(names = "--vertical", negatable = true, description = "Random vertical flip.")
    Boolean vertical;

    @Option(names = "--mask-size", description = "Cutout radius: N fixes it, LO:HI tunes it.")
    String maskSize;

    @Option(names = "--num-masks", description = "Cutouts per image: N or LO:HI.")
    String numMasks;

    @Option(names = "--blend-max", description = "Tune the positives' blend multiplier in [1, blend-max] (>= 1.1).")
    Double blendMax;

    @Option(names = "--blending-func", description = "mean, max, min or random (default mean).")
    String blendingFunc;

    @Option(names = "--num-images-to-blend", description = "(default 2).")
    Integer numImagesToBlend;

    @Option(names = "--blend-other", description = "The negatives' blend multiplier when the positives blend.")
    Double blendOther;

    @Option(names = "--zoom-range", description = "MIN:MAX zoom (default 0.9:1.1), or 'none'.")
    String zoomRange;

    @Option(names = "--skew-angle", description = "Tune the skew in [0, angle] degrees.")
    Integer skewAngle;

    @Option(names = "--monitor1", description = "A metric whose threshold stops a trial.")
    String monitor1;

    @Option(names = "--monitor1-thresh", description = "Its threshold (losses stop at or below, others above).")
    Double monitor1Thresh;

    @Option(names = "--monitor2", description = "Another one.")
    String monitor2;

    @Option(names = "--monitor2-thresh", description = "Its threshold.")
    Double monitor2Thresh;

    @Option(names = "--pruner", description = "none (default) or median.")
    String pruner;

    @Option(names = "--pruner-startup-trials", description = "Completed trials before the pruner decides (5).")
    Integer prunerStartupTrials;

    @Option(names = "--pruner-warmup-steps", description = "Epochs before a trial can be pruned (0).")
    Integer prunerWarmupSteps;

    @Option(names = "--sampler", description = "tpe (default) or random.")
    String sampler;

    @Option(names = "--max-retries", description = "Relaunches of a trial whose worker fell silent (default 1).")
    Integer maxRetries;

    @Option(names = "--choices", split = ";", description = "Narrower choices, NAME=A|B|C;..., e.g. "
            + "optimizer=adam|sgd.")
    Map<String, String> choices;

    @Option(names = "--fix", split = ",", description = "Parameters pinned to a value, NAME=VALUE,..., e.g. "
            + "num_conv_layers=1,filter_1=24.")
    Map<String, String> fixed;

    @Option(names = "--json", description = "Print the final summary as one JSON object on stdout.")
    boolean json;

    @Option(names = "--save-model", description = "Also download the final model (or the ensemble) to this file.")
    Path saveModel;

    @Option(names = "--plots", description = "Also write history.png and importance.png to this directory.")
    Path plots;

    @Option(names = "--timeout-minutes", defaultValue = "1440", description = "Give up following after this long.")
    long timeoutMinutes;

    @Override
    public Integer call() {
        StudySpec spec = toSpec();
        Map<String, Path> arrays = data.arrays();
        StudyClient client = new StudyClient(stack.url());
        JsonNode submitted;
        try {
            submitted = client.submit(spec, arrays);
        } catch (JbiaClient.ApiException e) {
            if (e.status() == 400) {
                System.err.println("The study was refused:");
                try {
                    for (JsonNode p : JsonCodec.mapper().readTree(e.body()).path("problems")) {
                        System.err.println("  - " + p.asText());
                    }
                } catch (IOException notJson) {
                    System.err.println("  " + e.body());
                }
                return 2;
            }
            throw e;
        }
        String id = submitted.path("id").asText();
        System.err.println("study " + id + " submitted (seed " + submitted.path("seed").asText() + ", "
                + submitted.path("n_iter").asInt() + " trials)");
        JsonNode study = follow(client, id, System.err, System.console() != null, Duration.ofMinutes(timeoutMinutes));
        boolean completed = study.path("phase").asText().equals("COMPLETED");
        if (completed && saveModel != null && !study.path("models").isEmpty()) {
            write(saveModel, client.model(id, null));
        }
        if (plots != null) {
            StudyCommand.writePlots(client, id, plots, System.err);
        }
        if (json) {
            System.out.println(JsonCodec.encode(study));
        } else {
            StudyCommand.printSummary(study, System.out);
        }
        return completed ? 0 : 1;
    }

    /** Follows a study to its end: one line per finished trial (an updating line on a terminal). */
    static JsonNode follow(StudyClient client, String id, PrintStream out, boolean terminal, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = -1;
        int historySeen = 0;
        while (true) {
            JsonNode s = client.study(id);
            JsonNode history = s.path("history");
            for (int i = historySeen; i < history.size(); i++) {
                if (terminal) {
                    out.print("\r\033[K");
                }
                out.println("[" + history.get(i).path("phase").asText() + "] " + history.get(i).path("detail").asText());
            }
            historySeen = history.size();
            long finished = s.path("finished").asLong();
            if (finished != seen) {
                seen = finished;
                String line = progress(s);
                if (terminal) {
                    out.print("\r\033[K" + line);
                } else {
                    out.println(line);
                }
                out.flush();
            }
            String phase = s.path("phase").asText();
            if (phase.equals("COMPLETED") || phase.equals("FAILED")) {
                if (terminal) {
                    out.println();
                }
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("study " + id + " is still " + phase + " after " + timeout.toMinutes()
                        + " minutes; it goes on in the background: see `bia study show " + id + "`");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** "trials 7/25 done (5 complete, 1 pruned, 1 failed), 2 running, best 0.8123 (trial 4)". */
    static String progress(JsonNode s) {
        StringBuilder line = new StringBuilder("trials ").append(s.path("finished").asLong()).append('/')
                .append(s.path("n_iter").asInt()).append(" done (").append(s.path("complete").asLong())
                .append(" complete, ").append(s.path("pruned").asLong()).append(" pruned, ")
                .append(s.path("failed").asLong()).append(" failed), ").append(s.path("running").asLong())
                .append(" running");
        JsonNode best = s.path("best");
        if (best.isObject()) {
            line.append(String.format(Locale.ROOT, ", best %.4f (trial %d)", best.path("value").asDouble(),
                    best.path("number").asInt()));
        }
        return line.toString();
    }

    /** The study spec: the spec file, then the training options, then the study options. */
    StudySpec toSpec() {
        Map<String, Object> base = new LinkedHashMap<>();
        if (specFile != null) {
            try {
                base = JsonCodec.mapper().readValue(Files.readString(specFile), LinkedHashMap.class);
            } catch (IOException e) {
                throw new IllegalArgumentException("--spec-file " + specFile + ": " + e.getMessage());
            }
        }
        JobSpec job = options.toSpec();
        Map<String, Object> train = asMap(base.get("train"));
        // The training options given on the command line override the spec file's; without a file all apply.
        Map<String, Object> given = JsonCodec.mapper().convertValue(job.train(), LinkedHashMap.class);
        given.forEach((k, v) -> {
            if (specFile == null || matched("--" + k.replace('_', '-'))) {
                train.put(k, v);
            }
        });
        train.remove("epochs");
        train.remove("patience");
        train.remove("metric");
        Map<String, Object> optimize = asMap(base.get("optimize"));
        putIf(optimize, "epochs", options.epochs);
        putIf(optimize, "patience", options.patience);
        putIf(optimize, "metric", options.metric);
        putIf(optimize, "n_iter", nIter);
        putIf(optimize, "n_parallel", nParallel);
        putIf(optimize, "train_epochs", trainEpochs);
        putIf(optimize, "metric2", metric2);
        putIf(optimize, "metric3", metric3);
        putIf(optimize, "average", average);
        putIf(optimize, "post_metric", postMetric);
        putIf(optimize, "test_acc_threshold", testAccThreshold);
        putIf(optimize, "opt_model", optModel);
        putIf(optimize, "limit_search", limitSearch);
        putIf(optimize, "opt_cv", optCv);
        putIf(optimize, "opt_aug", optAug);
        putIf(optimize, "batch_size_min", batchSizeMin);
        putIf(optimize, "batch_size_max", batchSizeMax);
        putIf(optimize, "batch_min", batchMin);
        putIf(optimize, "batch_max", batchMax);
        putIf(optimize, "batch_other", batchOther);
        putIf(optimize, "balance", balance);
        putIf(optimize, "image_size_min", imageSizeMin);
        putIf(optimize, "image_size_max", imageSizeMax);
        putIf(optimize, "opt_max_min_pix", optMaxMinPix);
        putIf(optimize, "opt_max_max_pix", optMaxMaxPix);
        putIf(optimize, "shift", shift);
        putIf(optimize, "rotation", rotation);
        putIf(optimize, "horizontal", horizontal);
        putIf(optimize, "vertical", vertical);
        putIf(optimize, "mask_size", range("--mask-size", maskSize));
        putIf(optimize, "num_masks", range("--num-masks", numMasks));
        putIf(optimize, "blend_max", blendMax);
        putIf(optimize, "blending_func", blendingFunc);
        putIf(optimize, "num_images_to_blend", numImagesToBlend);
        putIf(optimize, "blend_other", blendOther);
        if (zoomRange != null) {
            optimize.put("zoom_range", zoomRange.equalsIgnoreCase("none") ? List.of() : numbers("--zoom-range", zoomRange));
        }
        putIf(optimize, "skew_angle", skewAngle);
        putIf(optimize, "monitor1", monitor1);
        putIf(optimize, "monitor1_thresh", monitor1Thresh);
        putIf(optimize, "monitor2", monitor2);
        putIf(optimize, "monitor2_thresh", monitor2Thresh);
        putIf(optimize, "pruner", pruner);
        putIf(optimize, "pruner_startup_trials", prunerStartupTrials);
        putIf(optimize, "pruner_warmup_steps", prunerWarmupSteps);
        putIf(optimize, "sampler", sampler);
        putIf(optimize, "max_retries", maxRetries);
        if (choices != null) {
            Map<String, Object> c = asMap(optimize.get("choices"));
            choices.forEach((name, list) -> {
                List<Object> values = new ArrayList<>();
                for (String v : list.split("\\|")) {
                    values.add(scalar(v.strip()));
                }
                c.put(name, values);
            });
            optimize.put("choices", c);
        }
        if (fixed != null) {
            Map<String, Object> f = asMap(optimize.get("fixed"));
            fixed.forEach((name, v) -> f.put(name, scalar(v.strip())));
            optimize.put("fixed", f);
        }
        Map<String, Object> study = new LinkedHashMap<>(base);
        study.put("train", train);
        study.put("optimize", optimize);
        putIf(study, "name", options.name);
        putIf(study, "seed", options.seed);
        if (job.augmentPositive() != null) {
            study.put("augment_positive", job.augmentPositive());
        }
        if (job.augmentNegative() != null) {
            study.put("augment_negative", job.augmentNegative());
        }
        try {
            return JsonCodec.decode(JsonCodec.encode(study), StudySpec.class);
        } catch (MalformedEventException e) {
            throw new IllegalArgumentException(e.getMessage().replace("StudySpec", "study spec")
                    .replace("OptimizeSpec", "optimize spec"));
        }
    }

    private boolean matched(String option) {
        return command != null && command.commandLine() != null && command.commandLine().getParseResult() != null
                && command.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** A command-line value as JSON would hold it: boolean, integer, number or text. */
    static Object scalar(String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException notLong) {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException notDouble) {
                return value;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
    }

    private static void putIf(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** "5" → [5]; "3:8" → [3, 8]. */
    private static List<Object> range(String option, String text) {
        return text == null ? null : numbers(option, text);
    }

    private static List<Object> numbers(String option, String text) {
        List<Object> out = new ArrayList<>();
        for (String part : text.split(":")) {
            Object v = scalar(part.strip());
            if (!(v instanceof Number)) {
                throw new IllegalArgumentException(option + " " + text + ": '" + part + "' is not a number; give N or "
                        + "LO:HI");
            }
            out.add(v);
        }
        return out;
    }

    static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
