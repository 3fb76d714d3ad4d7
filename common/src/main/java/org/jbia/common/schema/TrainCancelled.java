package org.jbia.common.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Stop training request {@code requestId}: its job ended without it (a pruned or failed trial), so
 * what it would train is waste. Covers every attempt up to {@code attempt}, since a superseded attempt
 * may still be running somewhere. Every train-service instance hears it; the one running the request
 * stops at the next epoch end, one that has not taken it yet skips it. Topic {@link Topics#TRAIN_CANCELLED}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainCancelled(int version, String jobId, String requestId, int attempt, String reason)
        implements Event {
}
