package org.jbia.common.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * A worker's word on a training run: it took the request ({@code STARTED}), finished an epoch
 * ({@code EPOCH}, with that epoch's metrics), or is still busy ({@code HEARTBEAT}). The
 * orchestrator's lease on the run is renewed by each. Topic {@link Topics#TRAIN_PROGRESS}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainProgress(int version, String jobId, String requestId, int attempt, String worker, Phase phase,
                            int epoch, int epochs, Map<String, Double> metrics, long atMillis) implements Event {

    public enum Phase { STARTED, EPOCH, HEARTBEAT }

    public TrainProgress {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }
}
