package org.jbia.common.schema.study;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;
import org.jbia.common.schema.DatasetRefs;
import org.jbia.common.schema.Event;
import org.jbia.common.schema.ObjectRef;

/**
 * A study's model retrained on changed data with its best parameters. Topic
 * {@link org.jbia.common.schema.Topics#MODEL_PUBLISHED}, keyed by study id.
 *
 * @param requestId the {@link DataChanged} request this answers
 * @param job       the training job that produced the model
 * @param model     the model bundle (zip)
 * @param report    its training report (JSON)
 * @param data      the data it was trained on
 * @param metrics   the metrics of the epoch kept
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelPublished(int version, String studyId, String requestId, String job, ObjectRef model,
                             ObjectRef report, DatasetRefs data, Map<String, Double> metrics) implements Event {

    public ModelPublished {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    @Override
    public String jobId() {
        return studyId;
    }
}
