package org.jbia.common.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * How to train: pyBIA's builder arguments under their names, with pyBIA's defaults (SGD, lr 1e-4,
 * momentum 0.9, batch 32, 25 epochs, patience 5, metric loss). A null field takes the default.
 *
 * @param clf          network: alexnet, resnet18, vgg16 or custom_cnn
 * @param network      the network's configurable parts under pyBIA's names (filter_1, dense_neurons_1,
 *                     model_reg, pooling_1, ...); absent keys keep the network's defaults
 * @param weight       for weighted_binary_crossentropy: the factor on the positive class's term
 * @param metric       early-stopping metric: loss, binary_accuracy, f1_score, or their val_ versions
 * @param restoreBest  restore the weights of the best epoch when early stopping ends the run
 * @param normalize    min-max normalisation: clip to [min_pixel, max_pixel], then scale to [0, 1]
 * @param maxPixel     one ceiling per band (one value is allowed for one band)
 * @param smoteSampling SMOTE ratio (minority / majority after resampling); 0 = off
 * @param threshold    decision threshold on the positive-class probability
 * @param backend      training backend: dl4j or libtorch; null (not named) leaves it to the train-service
 *                     setting bia.train.backend (default dl4j)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainSpec(String clf, Map<String, Object> network, Integer epochs, Integer batchSize, String optimizer,
                        Double lr, Double momentum, Boolean nesterov, Double decay, @JsonProperty("beta_1") Double beta1,
                        @JsonProperty("beta_2") Double beta2,
                        Boolean amsgrad, Double rho, String loss, Double weight, Integer patience, String metric,
                        Boolean restoreBest, Boolean normalize, Double minPixel, double[] maxPixel,
                        Double smoteSampling, Double threshold, String backend) {

    public static final List<String> NETWORKS = List.of("alexnet", "resnet18", "vgg16", "custom_cnn");
    public static final List<String> OPTIMIZERS = List.of("sgd", "adam", "adamax", "nadam", "adadelta", "rmsprop");
    public static final List<String> LOSSES = List.of("binary_crossentropy", "weighted_binary_crossentropy",
            "focal_loss", "hinge");
    public static final List<String> METRICS = List.of("loss", "binary_accuracy", "f1_score", "val_loss",
            "val_binary_accuracy", "val_f1_score");
    public static final List<String> BACKENDS = List.of("dl4j", "libtorch");

    public TrainSpec {
        clf = clf == null ? "alexnet" : clf;
        network = network == null ? Map.of() : Map.copyOf(network);
        epochs = epochs == null ? 25 : epochs;
        batchSize = batchSize == null ? 32 : batchSize;
        optimizer = optimizer == null ? "sgd" : optimizer;
        lr = lr == null ? 1e-4 : lr;
        momentum = momentum == null ? 0.9 : momentum;
        nesterov = nesterov != null && nesterov;
        decay = decay == null ? 0.0 : decay;
        beta1 = beta1 == null ? 0.9 : beta1;
        beta2 = beta2 == null ? 0.999 : beta2;
        amsgrad = amsgrad != null && amsgrad;
        rho = rho == null ? 0.9 : rho;
        loss = loss == null ? "binary_crossentropy" : loss;
        patience = patience == null ? 5 : patience;
        metric = metric == null ? "loss" : metric;
        restoreBest = restoreBest != null && restoreBest;
        normalize = normalize != null && normalize;
        minPixel = minPixel == null ? 0.0 : minPixel;
        maxPixel = maxPixel == null ? new double[] {100} : maxPixel.clone();
        smoteSampling = smoteSampling == null ? 0.0 : smoteSampling;
        threshold = threshold == null ? 0.5 : threshold;
    }

    public static TrainSpec defaults() {
        return new TrainSpec(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    /** This spec with {@code backend} (for a spec that names none, the backend chosen for it). */
    public TrainSpec withBackend(String backend) {
        return new TrainSpec(clf, network, epochs, batchSize, optimizer, lr, momentum, nesterov, decay, beta1, beta2,
                amsgrad, rho, loss, weight, patience, metric, restoreBest, normalize, minPixel, maxPixel, smoteSampling,
                threshold, backend);
    }

    /** Problems that can be seen without the data, each naming its field. */
    public Problems problems() {
        Problems p = new Problems();
        p.requireOneOf("clf", clf, NETWORKS);
        p.requireOneOf("optimizer", optimizer, OPTIMIZERS);
        p.requireOneOf("loss", loss, LOSSES);
        p.requireOneOf("metric", metric, METRICS);
        p.requireOneOf("backend", backend, BACKENDS);
        p.requirePositive("epochs", epochs);
        p.requirePositive("batch_size", batchSize);
        p.requirePositive("lr", lr);
        p.requireInRange("momentum", momentum, 0, 0.999999);
        p.requireNonNegative("decay", decay);
        p.requireInRange("beta_1", beta1, 0, 0.999999);
        p.requireInRange("beta_2", beta2, 0, 0.999999);
        p.requireInRange("rho", rho, 1e-6, 0.999999);
        p.requireNonNegative("patience", patience);
        p.requireNonNegative("smote_sampling", smoteSampling);
        p.requireInRange("threshold", threshold, 0, 1);
        if ("weighted_binary_crossentropy".equals(loss) && (weight == null || !(weight > 0))) {
            p.add("weight", weight, "weighted_binary_crossentropy needs a weight > 0 for the positive class");
        }
        if (maxPixel.length == 0) {
            p.add("max_pixel", maxPixel, "give one value per band");
        }
        for (double max : maxPixel) {
            if (!(max > minPixel)) {
                p.add("max_pixel", maxPixel, "every value must be greater than min_pixel = " + minPixel);
                break;
            }
        }
        return p;
    }

    /** The ceiling of band {@code band}: one value serves every band. */
    public double maxPixelOf(int band) {
        return maxPixel.length == 1 ? maxPixel[0] : maxPixel[band];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainSpec s && toString().equals(s.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "TrainSpec[clf=" + clf + ", network=" + new java.util.TreeMap<>(network) + ", epochs=" + epochs
                + ", batch_size=" + batchSize + ", optimizer=" + optimizer + ", lr=" + lr + ", momentum=" + momentum
                + ", nesterov=" + nesterov + ", decay=" + decay + ", beta_1=" + beta1 + ", beta_2=" + beta2
                + ", amsgrad=" + amsgrad + ", rho=" + rho + ", loss=" + loss + ", weight=" + weight + ", patience="
                + patience + ", metric=" + metric + ", restore_best=" + restoreBest + ", normalize=" + normalize
                + ", min_pixel=" + minPixel + ", max_pixel=" + java.util.Arrays.toString(maxPixel)
                + ", smote_sampling=" + smoteSampling + ", threshold=" + threshold + ", backend=" + backend + "]";
    }
}
