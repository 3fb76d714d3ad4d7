package org.jbia.train.backend;

/** Weights copied out of a {@link TrainableModel}; close it to free them. */
public interface Snapshot extends AutoCloseable {
    /** The backend's own representation. */
    Object weights();

    @Override
    void close();
}
