package org.jbia.train.backend;

import org.jbia.common.array.ImageStack;

/** A network instance of some backend. Images are N×H×W×C; not thread-safe. */
public interface TrainableModel extends AutoCloseable {

    /**
     * One optimisation step on a batch.
     *
     * @param labels 1 for positive, 0 for negative, one per image
     * @return P(positive) of each image from the training-mode forward pass of this step (dropout and
     *         batch statistics active), as Keras reports its training metrics
     */
    float[] fit(ImageStack batch, float[] labels);

    /** P(positive) of each image, in inference mode. */
    float[] predict(ImageStack images);

    /** Parameters stored by the backend (trainable ones plus batch norm running statistics). */
    long parameterCount();

    /** A copy of the current weights (batch norm statistics included), to go back to with {@link #restore}. */
    Snapshot snapshot();

    void restore(Snapshot snapshot);

    /** The model in the backend's own format, readable by {@link TrainingBackend#load}. */
    byte[] save();

    @Override
    void close();
}
