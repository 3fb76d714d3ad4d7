package org.jbia.train.training;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.jbia.common.array.ImageStack;
import org.jbia.train.backend.TrainableModel;
import org.jbia.train.model.BinaryLoss;

/**
 * Epochs of mini-batch training as Keras' fit does them: a fresh random order every epoch, the last
 * partial batch kept, metrics of the training-mode outputs reported per epoch.
 */
public final class Trainer {
    private final TrainableModel model;
    private final BinaryLoss loss;
    private final int batchSize;
    private final Random order;

    public Trainer(TrainableModel model, BinaryLoss loss, int batchSize, long seed) {
        this.model = model;
        this.loss = loss;
        this.batchSize = batchSize;
        this.order = new Random(seed);
    }

    /** One pass over the data; returns loss, binary_accuracy and f1_score. */
    public Map<String, Double> epoch(ImageStack images, float[] labels) {
        int n = images.count();
        int[] perm = permutation(n);
        float[] probabilities = new float[n];
        float[] seenLabels = new float[n];
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            int[] idx = java.util.Arrays.copyOfRange(perm, from, to);
            float[] y = new float[idx.length];
            for (int i = 0; i < idx.length; i++) {
                y[i] = labels[idx[i]];
            }
            float[] p = model.fit(gather(images, idx), y);
            System.arraycopy(p, 0, probabilities, from, p.length);
            System.arraycopy(y, 0, seenLabels, from, y.length);
        }
        return metrics(probabilities, seenLabels, "");
    }

    /** Metrics of the model in inference mode, under {@code prefix} (e.g. "val_"). */
    public Map<String, Double> evaluate(ImageStack images, float[] labels, String prefix) {
        return metrics(model.predict(images), labels, prefix);
    }

    Map<String, Double> metrics(float[] probabilities, float[] labels, String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + "loss", loss.mean(probabilities, labels));
        m.put(prefix + "binary_accuracy", BinaryMetrics.accuracy(probabilities, labels));
        m.put(prefix + "f1_score", BinaryMetrics.f1(probabilities, labels));
        return m;
    }

    private int[] permutation(int n) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = order.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    /** The images at {@code idx}, copied into one stack. */
    static ImageStack gather(ImageStack images, int[] idx) {
        int size = images.imageSize();
        float[] out = new float[idx.length * size];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(images.pixels(), idx[i] * size, out, i * size, size);
        }
        return new ImageStack(idx.length, images.height(), images.width(), images.bands(), out);
    }
}
