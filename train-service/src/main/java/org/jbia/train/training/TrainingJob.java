package org.jbia.train.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jbia.common.array.ImageStack;
import org.jbia.common.data.DatasetCheck;
import org.jbia.common.data.Smote;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.Problems;
import org.jbia.common.schema.TrainSpec;
import org.jbia.train.backend.Backends;
import org.jbia.train.backend.Snapshot;
import org.jbia.train.backend.TrainableModel;
import org.jbia.train.backend.TrainingBackend;
import org.jbia.train.bundle.ModelBundle;
import org.jbia.train.evaluation.Evaluation;
import org.jbia.train.evaluation.Roc;
import org.jbia.train.model.BinaryLoss;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.Networks;
import org.jbia.train.model.OptimizerSpec;
import org.jbia.train.model.Preprocessing;

/**
 * One training run, from images and a {@link TrainSpec} to a model bundle: validation of everything
 * (before any work), preprocessing, network construction by the chosen backend, training with early
 * stopping, evaluation.
 */
public final class TrainingJob {
    private static final System.Logger LOG = System.getLogger(TrainingJob.class.getName());

    private TrainingJob() {
    }

    /**
     * Validates (an {@link InvalidSpecException} naming field, value and what is allowed for every
     * problem, before any work), crops to network.image_size when given, normalises (when spec.normalize),
     * applies SMOTE to the smaller class (when smote_sampling > 0), builds the network with the backend
     * named by spec.backend (when it names none: the service's bia.train.backend), trains with early
     * stopping, evaluates on test data and on validation data (the test evaluation, or else the validation
     * one, gives auroc, tpr0 and tpr10 in the metrics) and returns the bundle.
     *
     * @param seed the same seed gives the same model on CPU (initial weights, batch order, SMOTE)
     */
    public static TrainingOutcome run(TrainingData data, TrainSpec named, long seed, EpochListener listener) {
        Objects.requireNonNull(data, "data");
        TrainSpec spec = Backends.chosenFor(Objects.requireNonNull(named, "spec"));
        EpochListener progress = listener == null ? EpochListener.NONE : listener;
        problems(data, spec).throwIfAny("training request");

        int bands = data.positive().bands();
        int size = Networks.imageSize(spec.network()) > 0 ? Networks.imageSize(spec.network()) : data.positive().height();
        Preprocessing pre = Preprocessing.of(spec, size, bands);
        ImageStack positive = pre.apply(data.positive(), "positive");
        ImageStack negative = pre.apply(data.negative(), "negative");
        Map<String, Object> smoteReport = new LinkedHashMap<>();
        if (spec.smoteSampling() > 0 && positive.count() != negative.count()) {
            boolean positiveIsMinority = positive.count() < negative.count();
            ImageStack minority = positiveIsMinority ? positive : negative;
            ImageStack majority = positiveIsMinority ? negative : positive;
            ImageStack resampled = Smote.oversample(minority, majority.count(), spec.smoteSampling(), seed);
            smoteReport.put("class", positiveIsMinority ? "positive" : "negative");
            smoteReport.put("synthetic", resampled.count() - minority.count());
            if (positiveIsMinority) {
                positive = resampled;
            } else {
                negative = resampled;
            }
        }
        LabelledSet train = LabelledSet.of(positive, negative);
        LabelledSet validation = data.hasValidation() ? LabelledSet.of(apply(pre, data.valPositive(), "val_positive"),
                apply(pre, data.valNegative(), "val_negative")) : null;
        LabelledSet test = data.hasTest() ? LabelledSet.of(apply(pre, data.testPositive(), "test_positive"),
                apply(pre, data.testNegative(), "test_negative")) : null;

        NetworkSpec network = Networks.build(spec.clf(), spec.network(), size, size, bands);
        TrainingBackend backend = Backends.named(spec.backend());
        BinaryLoss loss = BinaryLoss.of(spec);
        LOG.log(System.Logger.Level.INFO, "training " + spec.clf() + " on " + positive.count() + " positive and "
                + negative.count() + " negative images of " + size + "x" + size + "x" + bands + ", "
                + network.trainableParameters() + " trainable parameters, with " + backend.describe());

        try (TrainableModel model = backend.create(network, OptimizerSpec.of(spec), loss, seed)) {
            Trainer trainer = new Trainer(model, loss, spec.batchSize(), seed);
            EarlyStopping stopping = new EarlyStopping(spec.metric(), spec.patience());
            List<Map<String, Double>> history = new ArrayList<>();
            Snapshot best = null;
            String stopReason = "epochs";
            long started = System.nanoTime();
            try {
                for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
                    Map<String, Double> m = trainer.epoch(train.images(), train.labels());
                    if (validation != null) {
                        m.putAll(trainer.evaluate(validation.images(), validation.labels(), "val_"));
                    }
                    history.add(m);
                    boolean improved = stopping.record(epoch, m.get(spec.metric()));
                    if (improved && spec.restoreBest()) {
                        if (best != null) {
                            best.close();
                        }
                        best = model.snapshot();
                    }
                    progress.onEpoch(epoch, spec.epochs(), Map.copyOf(m));
                    if (!Double.isFinite(m.get("loss"))) {
                        stopReason = "non_finite_loss";
                        break;
                    }
                    if (stopping.shouldStop()) {
                        stopReason = "early_stopping";
                        break;
                    }
                }
                int kept = history.size();
                if (spec.restoreBest() && best != null && stopping.bestEpoch() != history.size()) {
                    model.restore(best);
                    kept = stopping.bestEpoch();
                }
                double seconds = (System.nanoTime() - started) / 1e9;

                Map<String, Double> metrics = new LinkedHashMap<>(history.get(kept - 1));
                Map<String, Object> evaluations = new LinkedHashMap<>();
                Evaluation onValidation = evaluate(model, validation, spec.threshold());
                Evaluation onTest = evaluate(model, test, spec.threshold());
                if (onValidation != null) {
                    evaluations.put("validation", onValidation);
                }
                if (onTest != null) {
                    evaluations.put("test", onTest);
                }
                Evaluation primary = onTest != null ? onTest : onValidation;
                if (primary != null) {
                    metrics.put("auroc", primary.auroc());
                    metrics.put("tpr0", primary.tpr0());
                    metrics.put("tpr10", primary.tpr10());
                }
                if (onTest != null && onValidation != null) {
                    metrics.put("val_auroc", onValidation.auroc());
                    metrics.put("val_tpr0", onValidation.tpr0());
                    metrics.put("val_tpr10", onValidation.tpr10());
                }
                if (test != null) {
                    // A study scores trials on these (pyBIA's post_metric, test_acc_threshold), one class or both.
                    metrics.putAll(trainer.evaluate(test.images(), test.labels(), "test_"));
                }

                Map<String, Object> report = new LinkedHashMap<>();
                report.put("network", spec.clf());
                report.put("backend", backend.describe());
                report.put("input", new int[] {size, size, bands});
                report.put("trainable_parameters", network.trainableParameters());
                report.put("seed", seed);
                report.put("train_images", Map.of("positive", positive.count(), "negative", negative.count()));
                if (!smoteReport.isEmpty()) {
                    report.put("smote", smoteReport);
                }
                report.put("epochs_run", history.size());
                report.put("stop_reason", stopReason);
                report.put("monitor", spec.metric());
                report.put("best_epoch", stopping.bestEpoch());
                report.put("kept_epoch", kept);
                report.put("train_seconds", seconds);
                report.put("train_images_per_second", (double) train.images().count() * history.size() / seconds);
                report.put("history", columns(history));
                report.put("metrics", metrics);
                report.put("evaluation", evaluations);
                String reportJson = JsonCodec.encodePretty(report);

                byte[] bundle = new ModelBundle(backend.name(), network, pre, spec, spec.threshold(), reportJson,
                        model.save()).write();
                return new TrainingOutcome(bundle, reportJson, Map.copyOf(metrics), history.size(), stopReason);
            } finally {
                if (best != null) {
                    best.close();
                }
            }
        }
    }

    /**
     * Every problem of the request that can be seen before training: the spec's own, the network
     * options, the backend, and the data against them.
     */
    public static Problems problems(TrainingData data, TrainSpec spec) {
        Problems p = spec.problems();
        if (TrainSpec.BACKENDS.contains(spec.backend()) && !Backends.AVAILABLE.contains(spec.backend())) {
            p.addMessage(Backends.problem(spec.backend()));
        }
        if (TrainSpec.NETWORKS.contains(spec.clf())) {
            p.addAll(Networks.problems(spec.clf(), spec.network()).messages());
        }
        p.requireInRange("smote_sampling", spec.smoteSampling(), 0, 1);
        if (spec.metric().startsWith("val_") && !data.hasValidation()) {
            p.add("metric", spec.metric(), "it needs validation data (val_positive/val_negative); without it use "
                    + spec.metric().substring(4));
        }
        if (data.positive() == null || data.negative() == null) {
            p.addMessage("positive and negative images are both needed to train");
            return p;
        }
        int bands = data.positive().bands();
        DatasetCheck check = new DatasetCheck(1, new DatasetCheck.NormalizationSettings(spec.normalize(),
                spec.minPixel(), Preprocessing.perBand(spec.maxPixel(), bands)), spec.smoteSampling());
        p.addAll(check.problems(data.positive(), data.negative(), data.valPositive(), data.valNegative(),
                data.testPositive(), data.testNegative()).messages());
        int imageSize = Networks.imageSize(spec.network());
        int smallest = Math.min(data.positive().height(), data.positive().width());
        if (imageSize > smallest) {
            p.add("network.image_size", imageSize, "the images are " + data.positive().height() + "x"
                    + data.positive().width() + ", smaller than the network input asked for; it must be at most "
                    + smallest);
        }
        if (spec.smoteSampling() > 0 && spec.smoteSampling() <= 1) {
            int minority = Math.min(data.positive().count(), data.negative().count());
            int majority = Math.max(data.positive().count(), data.negative().count());
            if (minority != majority && (double) minority / majority > spec.smoteSampling()) {
                p.add("smote_sampling", spec.smoteSampling(), "the classes are already at " + minority + "/"
                        + majority + "; SMOTE only adds images, so ask for at least "
                        + ((double) minority / majority) + " (or 0 for none)");
            }
        }
        return p;
    }

    private static ImageStack apply(Preprocessing pre, ImageStack images, String name) {
        return images == null ? null : pre.apply(images, name);
    }

    private static Evaluation evaluate(TrainableModel model, LabelledSet set, double threshold) {
        if (set == null || set.positives() == 0 || set.negatives() == 0) {
            return null;
        }
        float[] p = model.predict(set.images());
        float[] pos = java.util.Arrays.copyOfRange(p, 0, set.positives());
        float[] neg = java.util.Arrays.copyOfRange(p, set.positives(), p.length);
        return Roc.evaluate(pos, neg, threshold);
    }

    private static Map<String, List<Double>> columns(List<Map<String, Double>> history) {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (Map<String, Double> epoch : history) {
            epoch.forEach((k, v) -> out.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        return out;
    }

    /** Positives followed by negatives, with labels 1 and 0; either class may be absent. */
    record LabelledSet(ImageStack images, float[] labels, int positives, int negatives) {
        static LabelledSet of(ImageStack positive, ImageStack negative) {
            ImageStack images = positive == null ? negative : negative == null ? positive : positive.concat(negative);
            int np = positive == null ? 0 : positive.count();
            int nn = negative == null ? 0 : negative.count();
            float[] labels = new float[np + nn];
            java.util.Arrays.fill(labels, 0, np, 1f);
            return new LabelledSet(images, labels, np, nn);
        }
    }
}
