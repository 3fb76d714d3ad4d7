package org.jbia.common.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * A trained model: the bundle ({@code model}, a zip) and its report (history and evaluation, JSON),
 * with the metrics of the epoch kept. Topic {@link Topics#TRAIN_COMPLETED}.
 *
 * @param stopReason why training ended: "epochs" or "early stopping on METRIC at epoch E"
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainCompleted(int version, String jobId, String requestId, int attempt, String worker,
                             ObjectRef model, ObjectRef report, Map<String, Double> metrics, int epochsRun,
                             String stopReason) implements Event {

    public TrainCompleted {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }
}
