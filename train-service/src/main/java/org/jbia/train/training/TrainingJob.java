package org.jbia.train.training;

import org.jbia.common.schema.TrainSpec;

/**
 * One training run, from images and a {@link TrainSpec} to a model bundle: validation of everything
 * (before any work), preprocessing, network construction by the chosen backend, training with early
 * stopping, evaluation.
 */
public final class TrainingJob {

    private TrainingJob() {
    }

    /**
     * Validates (an {@link org.jbia.common.schema.InvalidSpecException} naming field, value and what is allowed
     * for every problem, before any work), normalises (when spec.normalize), applies SMOTE (when
     * smote_sampling > 0), builds the network with the backend named by spec.backend, trains with early
     * stopping, evaluates on test data (or validation data when there is no test data) and returns the bundle.
     */
    public static TrainingOutcome run(TrainingData data, TrainSpec spec, long seed, EpochListener listener) {
        throw new UnsupportedOperationException("training is being written");
    }
}
