package org.jbia.common.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The augmented data set, ready to train on. Topic {@link Topics#AUGMENT_COMPLETED}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AugmentCompleted(int version, String jobId, String requestId, int attempt, String worker,
                               DatasetRefs data, long millis) implements Event {
}
