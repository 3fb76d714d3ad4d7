package org.jbia.common.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Training could not be done; {@code reason} says why. Topic {@link Topics#TRAIN_FAILED}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainFailed(int version, String jobId, String requestId, int attempt, String worker, String reason)
        implements Event {
}
