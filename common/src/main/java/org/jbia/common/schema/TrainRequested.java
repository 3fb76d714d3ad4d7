package org.jbia.common.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Train a network on {@code data}. {@code attempt} grows each time the orchestrator requeues the
 * request after its worker went silent. Topic {@link Topics#TRAIN_REQUESTED}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainRequested(int version, String jobId, String requestId, int attempt, DatasetRefs data,
                             TrainSpec spec, long seed) implements Event {
}
