package org.jbia.common.schema.study;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbia.common.schema.AugmentSpec;
import org.jbia.common.schema.Problems;
import org.jbia.common.schema.TrainSpec;

/**
 * How a study searches: pyBIA's {@code Classifier} arguments for {@code optimize=True}, under their
 * names and with their defaults (spec §1.1, §5). A null field takes the default. Departures from
 * pyBIA are named where they apply: a trial stopped by patience, metric2/metric3, a monitor or the
 * test-accuracy threshold is recorded as pruned with its reason instead of scoring −999.
 *
 * @param nIter              trials to run (pyBIA's n_iter)
 * @param nParallel          trials in flight at once, across train-service instances
 * @param trainEpochs        epochs of each trial
 * @param epochs             epochs of the final fit with the best values; 0 tunes only
 * @param patience           early-stopping patience on {@code metric} (0 = none); also the patience of metric2/3
 * @param metric             the score: loss, binary_accuracy, f1_score, all, or their val_ versions
 * @param metric2            an extra early-stopping monitor inside trials (patience as above)
 * @param metric3            another one
 * @param average            score the mean of the metric over epochs (true) or its last value
 * @param postMetric         include the test-set metric in the score
 * @param testAccThreshold   prune a trial whose test accuracy is below this (0 &lt; t &le; 1)
 * @param optModel           tune the architecture (activations, initialisers, regularisation, loss, layers)
 * @param limitSearch        restrict the architecture search to pooling types (not for custom_cnn)
 * @param optCv              folds of pyBIA's validation rotation (&ge; 2; needs validation data)
 * @param optAug             tune the augmentation (num_aug, image_size, ...)
 * @param batchSizeMin       tuned batch size range; min == max fixes it
 * @param batchMin           augmentations per positive image, tuned range
 * @param batchOther         augmentations per negative image (0 = the negatives are only cropped)
 * @param balance            keep no more augmented negatives than augmented positives
 * @param imageSizeMin       tuned crop size range
 * @param optMaxMinPix       tuned max_pixel range (one value per band); both ends or neither
 * @param shift              largest shift in pixels, both axes
 * @param maskSize           cutout radius: one value fixes it, [lo, hi] tunes it
 * @param numMasks           cutouts per image: one value fixes it, [lo, hi] tunes it
 * @param blendMax           tune the positives' blend multiplier in [1, blend_max] when &ge; 1.1; below, no blending
 * @param blendOther         the negatives' blend multiplier, applied when the positives are blended (0 = never)
 * @param zoomRange          [min, max] zoom; [] for none
 * @param skewAngle          tune the skew in [0, skew_angle] degrees when &gt; 0
 * @param monitor1           a metric whose threshold stops a trial: losses when &le; the threshold, others when &gt;
 * @param pruner             none (default) or median: Optuna's MedianPruner on the per-epoch progress
 * @param prunerStartupTrials completed trials before the median pruner decides anything
 * @param prunerWarmupSteps  epochs of each trial before it can be pruned
 * @param sampler            tpe (default) or random
 * @param maxRetries         times a trial whose worker fell silent past its lease attempts is launched again
 * @param choices            narrower choices for categorical parameters, by parameter name
 * @param fixed              parameters pinned to one value instead of sampled, by parameter name
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OptimizeSpec(Integer nIter, Integer nParallel, Integer trainEpochs, Integer epochs, Integer patience,
                           String metric, String metric2, String metric3, Boolean average, Boolean postMetric,
                           Double testAccThreshold, Boolean optModel, Boolean limitSearch, Integer optCv,
                           Boolean optAug, Integer batchSizeMin, Integer batchSizeMax, Integer batchMin,
                           Integer batchMax, Integer batchOther, Boolean balance, Integer imageSizeMin,
                           Integer imageSizeMax, Integer optMaxMinPix, Integer optMaxMaxPix, Integer shift,
                           Boolean rotation, Boolean horizontal, Boolean vertical,
                           @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> maskSize,
                           @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> numMasks,
                           Double blendMax, String blendingFunc, Integer numImagesToBlend, Double blendOther,
                           double[] zoomRange, Integer skewAngle, String monitor1, String monitor2,
                           Double monitor1Thresh, Double monitor2Thresh, String pruner, Integer prunerStartupTrials,
                           Integer prunerWarmupSteps, String sampler, Integer maxRetries,
                           Map<String, List<Object>> choices, Map<String, Object> fixed) {

    /** What a trial can be scored on (spec §5.4). */
    public static final List<String> METRICS = List.of("loss", "binary_accuracy", "f1_score", "all", "val_loss",
            "val_binary_accuracy", "val_f1_score", "val_all");
    public static final List<String> PRUNERS = List.of("none", "median");
    public static final List<String> SAMPLERS = List.of("tpe", "random");

    public OptimizeSpec {
        nIter = nIter == null ? 25 : nIter;
        nParallel = nParallel == null ? 1 : nParallel;
        trainEpochs = trainEpochs == null ? 25 : trainEpochs;
        epochs = epochs == null ? 25 : epochs;
        patience = patience == null ? 5 : patience;
        metric = metric == null ? "loss" : metric;
        average = average == null || average;
        postMetric = postMetric == null || postMetric;
        optModel = optModel == null || optModel;
        limitSearch = limitSearch == null || limitSearch;
        optAug = optAug != null && optAug;
        batchSizeMin = batchSizeMin == null ? 16 : batchSizeMin;
        batchSizeMax = batchSizeMax == null ? 64 : batchSizeMax;
        batchMin = batchMin == null ? 2 : batchMin;
        batchMax = batchMax == null ? 25 : batchMax;
        batchOther = batchOther == null ? 1 : batchOther;
        balance = balance == null || balance;
        imageSizeMin = imageSizeMin == null ? 50 : imageSizeMin;
        imageSizeMax = imageSizeMax == null ? 100 : imageSizeMax;
        shift = shift == null ? 10 : shift;
        rotation = rotation != null && rotation;
        horizontal = horizontal != null && horizontal;
        vertical = vertical != null && vertical;
        // A null inside a range is reported by problems(), so no List.copyOf here.
        maskSize = maskSize == null ? null : Collections.unmodifiableList(new ArrayList<>(maskSize));
        numMasks = numMasks == null ? null : Collections.unmodifiableList(new ArrayList<>(numMasks));
        blendMax = blendMax == null ? 0.0 : blendMax;
        blendingFunc = blendingFunc == null ? "mean" : blendingFunc;
        numImagesToBlend = numImagesToBlend == null ? 2 : numImagesToBlend;
        blendOther = blendOther == null ? 1.0 : blendOther;
        zoomRange = zoomRange == null ? new double[] {0.9, 1.1} : zoomRange.clone();
        skewAngle = skewAngle == null ? 0 : skewAngle;
        pruner = pruner == null ? "none" : pruner;
        prunerStartupTrials = prunerStartupTrials == null ? 5 : prunerStartupTrials;
        prunerWarmupSteps = prunerWarmupSteps == null ? 0 : prunerWarmupSteps;
        sampler = sampler == null ? "tpe" : sampler;
        maxRetries = maxRetries == null ? 1 : maxRetries;
        choices = choices == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(choices));
        // Values may be null (model_reg none is "none", but a user may write null), so no Map.copyOf.
        fixed = fixed == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
    }

    public static OptimizeSpec defaults() {
        return new OptimizeSpec(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Whether the score (or an extra monitor) needs validation data. */
    public boolean needsValidation() {
        return metric.startsWith("val_") || isVal(metric2) || isVal(metric3) || isVal(monitor1) || isVal(monitor2);
    }

    /** The metric early stopping watches inside trials and in the final fit: loss for "all" (pyBIA's rule). */
    public String stoppingMetric() {
        return switch (metric) {
            case "all" -> "loss";
            case "val_all" -> "val_loss";
            default -> metric;
        };
    }

    /** The positives are blended in trials: pyBIA tunes blend_multiplier only from blend_max 1.1 up. */
    public boolean blendsPositives() {
        return blendMax >= 1.1;
    }

    /** mask_size is a [lo, hi] range to tune rather than one fixed radius. */
    public boolean tunesMaskSize() {
        return maskSize != null && maskSize.size() == 2;
    }

    public boolean tunesNumMasks() {
        return numMasks != null && numMasks.size() == 2;
    }

    public boolean tunesMaxPixel() {
        return optMaxMinPix != null || optMaxMaxPix != null;
    }

    /** Every problem that can be seen without the data, each naming the field, the value and what is allowed. */
    public Problems problems() {
        Problems p = new Problems();
        if (nIter < 1) {
            p.add("optimize.n_iter", nIter, "it must be >= 1 (the number of trials)");
        }
        if (nParallel < 1) {
            p.add("optimize.n_parallel", nParallel, "it must be >= 1 (trials in flight at once)");
        }
        if (trainEpochs < 1) {
            p.add("optimize.train_epochs", trainEpochs, "it must be >= 1 (epochs per trial)");
        }
        if (epochs < 0) {
            p.add("optimize.epochs", epochs, "it must be >= 0 (epochs of the final fit; 0 tunes only)");
        }
        p.requireNonNegative("optimize.patience", patience);
        p.requireOneOf("optimize.metric", metric, METRICS);
        p.requireOneOf("optimize.metric2", metric2, TrainSpec.METRICS);
        p.requireOneOf("optimize.metric3", metric3, TrainSpec.METRICS);
        if (testAccThreshold != null && !(testAccThreshold > 0 && testAccThreshold <= 1)) {
            p.add("optimize.test_acc_threshold", testAccThreshold, "it must lie in (0, 1]");
        }
        if (optCv != null && optCv < 2) {
            p.add("optimize.opt_cv", optCv, "it must be >= 2 folds (or absent for none)");
        }
        range(p, "optimize.batch_size_min", batchSizeMin, "optimize.batch_size_max", batchSizeMax, 1);
        range(p, "optimize.batch_min", batchMin, "optimize.batch_max", batchMax, 1);
        p.requireNonNegative("optimize.batch_other", batchOther);
        range(p, "optimize.image_size_min", imageSizeMin, "optimize.image_size_max", imageSizeMax, 1);
        if ((optMaxMinPix == null) != (optMaxMaxPix == null)) {
            String given = optMaxMinPix == null ? "optimize.opt_max_max_pix" : "optimize.opt_max_min_pix";
            p.add(given, optMaxMinPix == null ? optMaxMaxPix : optMaxMinPix,
                    "give both opt_max_min_pix and opt_max_max_pix (the tuned max_pixel range) or neither");
        } else if (optMaxMinPix != null) {
            range(p, "optimize.opt_max_min_pix", optMaxMinPix, "optimize.opt_max_max_pix", optMaxMaxPix, 1);
        }
        p.requireNonNegative("optimize.shift", shift);
        tunable(p, "optimize.mask_size", maskSize, 1);
        tunable(p, "optimize.num_masks", numMasks, 0);
        if (numMasks != null && maskSize == null) {
            p.add("optimize.num_masks", numMasks, "it needs mask_size (the cutout radius); give both or neither");
        }
        if (!(blendMax >= 0) || !Double.isFinite(blendMax)) {
            p.add("optimize.blend_max", blendMax, "it must be 0 (no blending) or a finite number; from 1.1 up the "
                    + "positives' blend multiplier is tuned in [1, blend_max]");
        }
        p.requireOneOf("optimize.blending_func", blendingFunc, AugmentSpec.BLENDING_FUNCS);
        if (numImagesToBlend < 2) {
            p.add("optimize.num_images_to_blend", numImagesToBlend, "it must be >= 2");
        }
        if (blendOther != 0 && !(blendOther >= 1)) {
            p.add("optimize.blend_other", blendOther, "it must be 0 (no blending of the negatives) or >= 1");
        }
        if (zoomRange.length != 0 && (zoomRange.length != 2 || !(zoomRange[0] > 0) || zoomRange[0] > zoomRange[1]
                || !Double.isFinite(zoomRange[1]))) {
            p.add("optimize.zoom_range", zoomRange, "it must be [min, max] with 0 < min <= max, or [] for no zoom");
        }
        p.requireInRange("optimize.skew_angle", skewAngle, 0, 89);
        monitor(p, "monitor1", monitor1, monitor1Thresh);
        monitor(p, "monitor2", monitor2, monitor2Thresh);
        p.requireOneOf("optimize.pruner", pruner, PRUNERS);
        p.requireNonNegative("optimize.pruner_startup_trials", prunerStartupTrials);
        p.requireNonNegative("optimize.pruner_warmup_steps", prunerWarmupSteps);
        p.requireOneOf("optimize.sampler", sampler, SAMPLERS);
        p.requireNonNegative("optimize.max_retries", maxRetries);
        choices.forEach((name, list) -> {
            if (list == null || list.isEmpty()) {
                p.add("optimize.choices." + name, list, "a categorical parameter needs at least one choice");
            }
        });
        return p;
    }

    private static void range(Problems p, String minField, int min, String maxField, int max, int lowest) {
        if (min < lowest) {
            p.add(minField, min, "it must be >= " + lowest);
        }
        if (min > max) {
            p.add(minField, min, "it must be <= " + maxField.substring(maxField.indexOf('.') + 1) + " (" + max + ")");
        }
    }

    private static void tunable(Problems p, String field, List<Integer> value, int lowest) {
        if (value == null) {
            return;
        }
        if (value.isEmpty() || value.size() > 2 || value.stream().anyMatch(java.util.Objects::isNull)) {
            p.add(field, value, "give one integer to fix it or [lo, hi] to tune it");
            return;
        }
        if (value.get(0) < lowest || value.get(value.size() - 1) < lowest) {
            p.add(field, value, "every value must be >= " + lowest);
        }
        if (value.size() == 2 && value.get(0) > value.get(1)) {
            p.add(field, value, "[lo, hi] needs lo <= hi");
        }
    }

    private static void monitor(Problems p, String name, String monitor, Double thresh) {
        p.requireOneOf("optimize." + name, monitor, TrainSpec.METRICS);
        if (monitor != null && thresh == null) {
            p.add("optimize." + name + "_thresh", null, name + " = '" + monitor + "' needs a threshold (losses stop "
                    + "a trial at or below it, other metrics above it)");
        }
        if (monitor == null && thresh != null) {
            p.add("optimize." + name + "_thresh", thresh, "a threshold needs " + name
                    + " (the metric it applies to), one of " + String.join(", ", TrainSpec.METRICS));
        }
        if (thresh != null && !Double.isFinite(thresh)) {
            p.add("optimize." + name + "_thresh", thresh, "it must be a finite number");
        }
    }

    private static boolean isVal(String metric) {
        return metric != null && metric.startsWith("val_");
    }

    /** The names of the metrics that need validation data, for error messages. */
    public List<String> validationFields() {
        List<String> out = new ArrayList<>();
        if (metric.startsWith("val_")) {
            out.add("optimize.metric = '" + metric + "'");
        }
        if (isVal(metric2)) {
            out.add("optimize.metric2 = '" + metric2 + "'");
        }
        if (isVal(metric3)) {
            out.add("optimize.metric3 = '" + metric3 + "'");
        }
        if (isVal(monitor1)) {
            out.add("optimize.monitor1 = '" + monitor1 + "'");
        }
        if (isVal(monitor2)) {
            out.add("optimize.monitor2 = '" + monitor2 + "'");
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptimizeSpec s && toString().equals(s.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "OptimizeSpec" + org.jbia.common.schema.JsonCodec.encode(this);
    }
}
