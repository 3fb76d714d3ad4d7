package org.jbia.train.bundle;

import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.Problems;
import org.jbia.train.backend.Backends;
import org.jbia.train.backend.TrainableModel;

/**
 * Applies a bundled model to new images: centre crop to the model's input size, the bundle's
 * normalisation, then the network; labels at a threshold (the bundle's unless given).
 */
public final class Predictor implements AutoCloseable {
    private final ModelBundle bundle;
    private final TrainableModel model;

    private Predictor(ModelBundle bundle) {
        this.bundle = bundle;
        this.model = Backends.named(bundle.backend()).load(bundle.network(), bundle.model());
    }

    public static Predictor load(byte[] bundleZip) {
        return new Predictor(ModelBundle.read(bundleZip));
    }

    public static Predictor of(ModelBundle bundle) {
        return new Predictor(bundle);
    }

    public ModelBundle bundle() {
        return bundle;
    }

    public Prediction predict(ImageStack images) {
        return predict(images, bundle.threshold());
    }

    /**
     * @throws org.jbia.common.schema.InvalidSpecException when the images are smaller than the model's
     *         input, have other bands, or the threshold is outside [0, 1]
     */
    public Prediction predict(ImageStack images, double threshold) {
        new Problems().requireInRange("threshold", threshold, 0, 1).throwIfAny("prediction");
        float[] p = model.predict(bundle.preprocessing().apply(images, "images"));
        int[] labels = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            labels[i] = p[i] > threshold ? 1 : 0;
        }
        return new Prediction(p, labels, threshold);
    }

    @Override
    public void close() {
        model.close();
    }
}
