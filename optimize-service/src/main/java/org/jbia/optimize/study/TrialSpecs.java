package org.jbia.optimize.study;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jbia.common.schema.AugmentSpec;
import org.jbia.common.schema.JobSpec;
import org.jbia.common.schema.TrainSpec;
import org.jbia.common.schema.study.OptimizeSpec;
import org.jbia.common.schema.study.StudySpec;

/**
 * From a trial's values to the job that runs it, pyBIA's {@code objective_cnn} and {@code create()}
 * steps 6–9 (spec §1.2, §5.2–5.3). Departures, each a §9 fix: rho is passed (§9.9); with tuned
 * max_pixel the floor is train.min_pixel in trials and final fit alike (§9.12); the negatives are
 * blended only when the positives are (§9.16); custom_cnn's pools stride by their size, Keras'
 * default, instead of 1, which made Flatten → Dense layers of billions of weights (§9.10).
 */
public final class TrialSpecs {

    private TrialSpecs() {
    }

    /** A trial: train_epochs epochs, stopped early by patience on the study's metric. */
    public static JobSpec trial(StudySpec spec, Map<String, Object> params, String name) {
        return job(spec, params, spec.optimize().trainEpochs(), name);
    }

    /** The final fit (and a retraining): the best values for optimize.epochs epochs. */
    public static JobSpec finalFit(StudySpec spec, Map<String, Object> params, String name) {
        return job(spec, params, spec.optimize().epochs(), name);
    }

    static JobSpec job(StudySpec spec, Map<String, Object> params, int epochs, String name) {
        OptimizeSpec o = spec.optimize();
        AugmentSpec positive = spec.augmentPositive();
        AugmentSpec negative = spec.augmentNegative();
        if (o.optAug()) {
            positive = augmentation(o, params, integer(params, "num_aug"), blendMultiplier(o, params));
            negative = o.batchOther() >= 1
                    ? augmentation(o, params, o.batchOther(), o.blendsPositives() ? o.blendOther() : 0.0)
                    : cropOnly(integer(params, "image_size"));
        }
        return new JobSpec(name, positive, negative, train(spec, params, epochs), spec.seed());
    }

    private static TrainSpec train(StudySpec spec, Map<String, Object> params, int epochs) {
        TrainSpec base = spec.train();
        OptimizeSpec o = spec.optimize();
        Map<String, Object> network = new LinkedHashMap<>(base.network());
        params.forEach((key, value) -> {
            if (!SpaceBuilder.NOT_NETWORK.contains(key) && !key.startsWith("max_pixel_")) {
                network.put(key, value);
            }
        });
        if (o.optModel() && "custom_cnn".equals(base.clf())) {
            customCnnLayers(params, network);
        }
        boolean normalize = base.normalize();
        double[] maxPixel = base.maxPixel();
        if (params.containsKey("max_pixel_1")) {
            normalize = true;
            int bands = 0;
            while (params.containsKey("max_pixel_" + (bands + 1))) {
                bands++;
            }
            maxPixel = new double[bands];
            for (int b = 0; b < bands; b++) {
                maxPixel[b] = number(params, "max_pixel_" + (b + 1));
            }
        }
        Integer batchSize = params.containsKey("batch_size") ? integer(params, "batch_size") : o.batchSizeMax();
        return new TrainSpec(base.clf(), network, epochs, batchSize, string(params, "optimizer", base.optimizer()),
                numberOr(params, "lr", base.lr()), numberOr(params, "momentum", base.momentum()),
                bool(params, "nesterov", base.nesterov()), base.decay(), numberOr(params, "beta_1", base.beta1()),
                numberOr(params, "beta_2", base.beta2()), bool(params, "amsgrad", base.amsgrad()),
                numberOr(params, "rho", base.rho()), string(params, "loss", base.loss()), base.weight(), o.patience(),
                o.stoppingMetric(), base.restoreBest(), normalize, base.minPixel(), maxPixel, base.smoteSampling(),
                base.threshold(), base.backend());
    }

    /** Layers past num_conv_layers / num_dense_layers are switched off (0), strides as pyBIA's search sets them. */
    private static void customCnnLayers(Map<String, Object> params, Map<String, Object> network) {
        int convs = params.containsKey("num_conv_layers") ? integer(params, "num_conv_layers") : 1;
        for (int i = 1; i <= 3; i++) {
            if (i <= convs) {
                network.put("strides_" + i, 1);
                Object poolSize = network.get("pool_size_" + i);
                if (poolSize != null) {
                    network.put("pool_stride_" + i, poolSize);
                }
            } else {
                network.put("filter_" + i, 0);
                network.remove("filter_size_" + i);
                network.remove("pooling_" + i);
                network.remove("pool_size_" + i);
            }
        }
        int denses = params.containsKey("num_dense_layers") ? integer(params, "num_dense_layers") : 1;
        for (int i = 2; i <= 3; i++) {
            if (i > denses) {
                network.put("dense_neurons_" + i, 0);
                network.put("dropout_" + i, 0.0);
            }
        }
    }

    private static AugmentSpec augmentation(OptimizeSpec o, Map<String, Object> params, int batch, double blend) {
        Double maskSize = null;
        if (o.maskSize() != null) {
            maskSize = o.tunesMaskSize() ? (double) integer(params, "mask_size") : (double) o.maskSize().get(0);
        }
        Integer numMasks = null;
        if (o.numMasks() != null) {
            numMasks = o.tunesNumMasks() ? integer(params, "num_masks") : o.numMasks().get(0);
        }
        double skew = params.containsKey("skew_angle") ? number(params, "skew_angle") : 0.0;
        return new AugmentSpec(batch, o.shift(), o.shift(), o.horizontal(), o.vertical(), o.rotation(), null,
                integer(params, "image_size"), o.zoomRange().length == 0 ? null : o.zoomRange(), skew, maskSize,
                numMasks, blend, o.blendingFunc(), o.numImagesToBlend(), null);
    }

    private static AugmentSpec cropOnly(int imageSize) {
        return new AugmentSpec(1, null, null, null, null, null, null, imageSize, null, null, null, null, null, null,
                null, null);
    }

    private static double blendMultiplier(OptimizeSpec o, Map<String, Object> params) {
        return o.blendsPositives() && params.containsKey("blend_multiplier") ? number(params, "blend_multiplier") : 0.0;
    }

    /**
     * With opt_aug and balance, how many negatives to augment so that they come out no more numerous
     * than the augmented positives, or null to use them all. pyBIA augments every negative and then
     * truncates; taking the first ones before augmenting gives the same count (within batch_other − 1)
     * without the wasted work.
     */
    public static Integer negativeLimit(StudySpec spec, Map<String, Object> params, int positives, int negatives) {
        OptimizeSpec o = spec.optimize();
        if (!o.optAug() || !o.balance()) {
            return null;
        }
        long positivesOut = (long) positives * integer(params, "num_aug");
        double blend = blendMultiplier(o, params);
        if (blend >= 1) {
            positivesOut = (long) Math.floor(blend * positivesOut);
        }
        double perNegative = Math.max(1, o.batchOther()) * (o.batchOther() >= 1 && o.blendsPositives()
                && o.blendOther() >= 1 ? o.blendOther() : 1.0);
        long limit = Math.max(2, (long) Math.ceil(positivesOut / perNegative));
        return limit < negatives ? (int) limit : null;
    }

    private static int integer(Map<String, Object> params, String key) {
        Object v = params.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalStateException("trial value " + key + " is missing");
        }
        return n.intValue();
    }

    private static double number(Map<String, Object> params, String key) {
        return ((Number) params.get(key)).doubleValue();
    }

    private static Double numberOr(Map<String, Object> params, String key, Double fallback) {
        return params.get(key) instanceof Number n ? n.doubleValue() : fallback;
    }

    private static String string(Map<String, Object> params, String key, String fallback) {
        return params.get(key) instanceof String s ? s : fallback;
    }

    private static Boolean bool(Map<String, Object> params, String key, Boolean fallback) {
        return params.get(key) instanceof Boolean b ? b : fallback;
    }
}
