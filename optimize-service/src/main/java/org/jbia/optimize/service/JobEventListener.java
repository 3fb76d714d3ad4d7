package org.jbia.optimize.service;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jbia.common.schema.AugmentCompleted;
import org.jbia.common.schema.AugmentFailed;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.TrainCompleted;
import org.jbia.common.schema.TrainFailed;
import org.jbia.common.schema.TrainProgress;

/**
 * Workers' answers, from the bia.augment.* and bia.train.* topics, into the orchestrator. An event that
 * cannot be decoded or names no known job throws, and the connector moves it to bia.dead-letter with
 * the reason.
 */
@ApplicationScoped
public class JobEventListener {

    @Inject
    JobOrchestrator orchestrator;

    @Incoming("augment-completed")
    @Blocking
    public void augmentCompleted(String json) {
        AugmentCompleted e = JsonCodec.decodeEvent(json, AugmentCompleted.class);
        orchestrator.handle(e.jobId(), job -> job.onAugmentCompleted(e, System.currentTimeMillis()));
    }

    @Incoming("augment-failed")
    @Blocking
    public void augmentFailed(String json) {
        AugmentFailed e = JsonCodec.decodeEvent(json, AugmentFailed.class);
        orchestrator.handle(e.jobId(), job -> job.onAugmentFailed(e, System.currentTimeMillis()));
    }

    @Incoming("train-progress")
    @Blocking
    public void trainProgress(String json) {
        TrainProgress e = JsonCodec.decodeEvent(json, TrainProgress.class);
        orchestrator.handle(e.jobId(), job -> job.onTrainProgress(e, System.currentTimeMillis()));
    }

    @Incoming("train-completed")
    @Blocking
    public void trainCompleted(String json) {
        TrainCompleted e = JsonCodec.decodeEvent(json, TrainCompleted.class);
        orchestrator.handle(e.jobId(), job -> job.onTrainCompleted(e, System.currentTimeMillis()));
    }

    @Incoming("train-failed")
    @Blocking
    public void trainFailed(String json) {
        TrainFailed e = JsonCodec.decodeEvent(json, TrainFailed.class);
        orchestrator.handle(e.jobId(), job -> job.onTrainFailed(e, System.currentTimeMillis()));
    }
}
