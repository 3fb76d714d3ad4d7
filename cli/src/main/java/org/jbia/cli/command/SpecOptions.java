package org.jbia.cli.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbia.common.schema.AugmentSpec;
import org.jbia.common.schema.JobSpec;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.MalformedEventException;
import org.jbia.common.schema.TrainSpec;
import picocli.CommandLine.Option;

/**
 * The job's parameters as options, under pyBIA's argument names in kebab case. An option left out
 * keeps pyBIA's default (stated in each description).
 */
public class SpecOptions {
    @Option(names = "--clf", description = "Network: alexnet, resnet18, vgg16, custom_cnn (default alexnet).")
    String clf;

    @Option(names = "--epochs", description = "Training epochs (default 25).")
    Integer epochs;

    @Option(names = "--batch-size", description = "Mini-batch size (default 32).")
    Integer batchSize;

    @Option(names = "--optimizer", description = "sgd, adam, adamax, nadam, adadelta, rmsprop (default sgd).")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate (default 1e-4).")
    Double lr;

    @Option(names = "--momentum", description = "SGD momentum (default 0.9).")
    Double momentum;

    @Option(names = "--nesterov", description = "Nesterov momentum for sgd.")
    Boolean nesterov;

    @Option(names = "--decay", description = "Learning-rate decay, applied per optimisation step t as lr / (1 + decay t), "
            + "Keras' legacy decay (default 0).")
    Double decay;

    @Option(names = "--beta-1", description = "Adam-family beta_1 (default 0.9).")
    Double beta1;

    @Option(names = "--beta-2", description = "Adam-family beta_2 (default 0.999).")
    Double beta2;

    @Option(names = "--amsgrad", description = "AMSGrad variant of adam.")
    Boolean amsgrad;

    @Option(names = "--rho", description = "rho of adadelta and rmsprop (default 0.9).")
    Double rho;

    @Option(names = "--loss", description = "binary_crossentropy, weighted_binary_crossentropy, focal_loss, hinge.")
    String loss;

    @Option(names = "--weight", description = "Positive-class weight for weighted_binary_crossentropy.")
    Double weight;

    @Option(names = "--patience", description = "Early-stopping patience in epochs (default 5; 0 = off).")
    Integer patience;

    @Option(names = "--metric", description = "Early-stopping metric: loss, binary_accuracy, f1_score or val_ ones.")
    String metric;

    @Option(names = "--restore-best", description = "Keep the weights of the best epoch when stopping early.")
    Boolean restoreBest;

    @Option(names = "--normalize", description = "Min-max normalise: clip to [min-pixel, max-pixel], scale to [0, 1].")
    Boolean normalize;

    @Option(names = "--min-pixel", description = "Normalisation floor (default 0).")
    Double minPixel;

    @Option(names = "--max-pixel", split = ",", description = "Normalisation ceiling per band, e.g. 100,100,100 "
            + "(default 100).")
    double[] maxPixel;

    @Option(names = "--smote-sampling", description = "SMOTE ratio minority/majority after resampling (0 = off).")
    Double smoteSampling;

    @Option(names = "--threshold", description = "Decision threshold on P(positive) (default 0.5).")
    Double threshold;

    @Option(names = "--backend", description = "Training backend: dl4j or libtorch (default: the train-service's "
            + "bia.train.backend setting, itself dl4j unless set).")
    String backend;

    @Option(names = "--network", split = ",", description = "Network options as KEY=VALUE, e.g. "
            + "filter_1=32,dense_neurons_1=128,model_reg=batch_norm.")
    Map<String, String> network;

    @Option(names = "--augment-positive", description = "Augment the positive class: KEY=VALUE,... with the seed's "
            + "names, e.g. batch=25,image_size=67,width_shift=10,height_shift=10,horizontal=true,vertical=true,"
            + "rotation=true,zoom_range=0.9:1.1,mask_size=5.")
    String augmentPositive;

    @Option(names = "--augment-negative", description = "Augment the negative class, as --augment-positive.")
    String augmentNegative;

    @Option(names = "--seed", description = "Seed of every random draw (default: chosen and recorded).")
    Long seed;

    @Option(names = "--name", description = "A name for the job.")
    String name;

    public JobSpec toSpec() {
        Map<String, Object> net = new LinkedHashMap<>();
        if (network != null) {
            network.forEach((k, v) -> net.put(k, scalar(v)));
        }
        TrainSpec train = new TrainSpec(clf, net.isEmpty() ? null : net, epochs, batchSize, optimizer, lr, momentum,
                nesterov, decay, beta1, beta2, amsgrad, rho, loss, weight, patience, metric, restoreBest, normalize,
                minPixel, maxPixel, smoteSampling, threshold, backend);
        return new JobSpec(name, augment("--augment-positive", augmentPositive),
                augment("--augment-negative", augmentNegative), train, seed);
    }

    /** KEY=VALUE,... read through the one JSON codec, so an unknown key is refused by name. */
    static AugmentSpec augment(String option, String text) {
        if (text == null) {
            return null;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException(option + ": '" + pair + "' is not KEY=VALUE");
            }
            String key = pair.substring(0, eq).strip();
            String value = pair.substring(eq + 1).strip();
            if (value.contains(":")) {
                List<Object> range = new ArrayList<>();
                for (String part : value.split(":")) {
                    range.add(scalar(part));
                }
                fields.put(key, range);
            } else {
                fields.put(key, scalar(value));
            }
        }
        try {
            return JsonCodec.decode(JsonCodec.encode(fields), AugmentSpec.class);
        } catch (MalformedEventException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage().replace("AugmentSpec", "augmentation")
                    + " (known keys: batch, width_shift, height_shift, horizontal, vertical, rotation, fill, image_size,"
                    + " zoom_range, skew_angle, mask_size, num_masks, blend_multiplier, blending_func,"
                    + " num_images_to_blend, interpolation)");
        }
    }

    private static Object scalar(String value) {
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
}
