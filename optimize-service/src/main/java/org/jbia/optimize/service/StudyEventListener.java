package org.jbia.optimize.service;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.study.DataChanged;

/**
 * bia.data.changed into the studies: a study retrains on the new data with its best values. An event
 * that cannot be decoded or names no known study goes to bia.dead-letter with the reason.
 */
@ApplicationScoped
public class StudyEventListener {

    @Inject
    StudyOrchestrator studies;

    @Incoming("data-changed")
    @Blocking
    public void dataChanged(String json) {
        studies.dataChanged(JsonCodec.decodeEvent(json, DataChanged.class));
    }
}
