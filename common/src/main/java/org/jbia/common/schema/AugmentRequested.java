package org.jbia.common.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Augment a job's classes: {@code positive} and {@code negative} specs (null leaves that class as it
 * is), every random draw derived from {@code seed}. Topic {@link Topics#AUGMENT_REQUESTED}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AugmentRequested(int version, String jobId, String requestId, int attempt, DatasetRefs data,
                               AugmentSpec positive, AugmentSpec negative, long seed) implements Event {
}
