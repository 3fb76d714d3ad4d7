package org.jbia.common.schema.study;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.jbia.common.schema.DatasetRefs;
import org.jbia.common.schema.Event;

/**
 * New or changed data for a study: the study retrains with its best parameters on it and publishes
 * the model ({@link ModelPublished}). A null reference keeps the study's own array for that set.
 * Topic {@link org.jbia.common.schema.Topics#DATA_CHANGED}, keyed by study id.
 *
 * @param studyId   the study whose best parameters to train with
 * @param requestId names this change; a change seen twice retrains once
 * @param reason    free text for the record, e.g. "12 new confirmed lenses"
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DataChanged(int version, String studyId, String requestId, DatasetRefs data, String reason)
        implements Event {

    /** Events are keyed by the study they concern. */
    @Override
    public String jobId() {
        return studyId;
    }
}
