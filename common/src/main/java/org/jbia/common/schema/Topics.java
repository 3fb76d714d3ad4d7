package org.jbia.common.schema;

import java.util.List;

/** The Kafka topics of jBIA: the one place their names are written. */
public final class Topics {
    public static final String AUGMENT_REQUESTED = "bia.augment.requested";
    public static final String AUGMENT_COMPLETED = "bia.augment.completed";
    public static final String AUGMENT_FAILED = "bia.augment.failed";
    public static final String TRAIN_REQUESTED = "bia.train.requested";
    public static final String TRAIN_PROGRESS = "bia.train.progress";
    public static final String TRAIN_COMPLETED = "bia.train.completed";
    public static final String TRAIN_FAILED = "bia.train.failed";
    /** Stop a training request whose job ended without it; every train-service instance reads all of it. */
    public static final String TRAIN_CANCELLED = "bia.train.cancelled";
    /** New or changed class data for a study: retrain with its best parameters (keyed by study id). */
    public static final String DATA_CHANGED = "bia.data.changed";
    /** A study's retrained model bundle, ready to use (keyed by study id). */
    public static final String MODEL_PUBLISHED = "bia.model.published";
    /** Events no consumer could decode or handle, with the reason in the record headers. */
    public static final String DEAD_LETTER = "bia.dead-letter";

    public static final List<String> ALL = List.of(AUGMENT_REQUESTED, AUGMENT_COMPLETED, AUGMENT_FAILED,
            TRAIN_REQUESTED, TRAIN_PROGRESS, TRAIN_COMPLETED, TRAIN_FAILED, TRAIN_CANCELLED, DATA_CHANGED,
            MODEL_PUBLISHED, DEAD_LETTER);

    private Topics() {
    }
}
