package org.jbia.train.backend;

import org.jbia.train.model.BinaryLoss;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.OptimizerSpec;

/**
 * Builds and trains networks described by {@link NetworkSpec}. Everything outside a backend (training
 * loop, metrics, early stopping, bundles) talks to it through this interface only, so that another
 * engine (libtorch) can stand in for DL4J.
 */
public interface TrainingBackend {

    /** The name used in TrainSpec.backend. */
    String name();

    /** Engine, device and native library in use, for the log and the report. */
    String describe();

    /** A freshly initialised model; the same seed gives the same initial weights. */
    TrainableModel create(NetworkSpec network, OptimizerSpec optimizer, BinaryLoss loss, long seed);

    /** A model saved by {@link TrainableModel#save()}, ready for prediction. */
    TrainableModel load(NetworkSpec network, byte[] saved);
}
