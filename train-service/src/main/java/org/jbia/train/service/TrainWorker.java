package org.jbia.train.service;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jbia.common.array.ImageStack;
import org.jbia.common.array.Npy;
import org.jbia.common.schema.DatasetRefs;
import org.jbia.common.schema.Event;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.MalformedEventException;
import org.jbia.common.schema.ObjectRef;
import org.jbia.common.schema.TrainCompleted;
import org.jbia.common.schema.TrainFailed;
import org.jbia.common.schema.TrainProgress;
import org.jbia.common.schema.TrainRequested;
import org.jbia.common.store.ObjectStore;
import org.jbia.service.EventSender;
import org.jbia.train.training.TrainingData;
import org.jbia.train.training.TrainingJob;
import org.jbia.train.training.TrainingOutcome;
import org.jboss.logging.Logger;

/**
 * bia.train.requested → train → bia.train.progress (started, each epoch, heartbeats) and
 * bia.train.completed or .failed. A request is acknowledged when taken, not when done: a run lasts
 * minutes to hours, longer than Kafka lets a consumer sit on a record. From then on the orchestrator's
 * lease guards it, renewed by this worker's progress and heartbeats; a worker that dies mid-run falls
 * silent and the request is sent again. Idempotent on the request id: a finished request is answered
 * from its stored result.
 */
@ApplicationScoped
public class TrainWorker {
    private static final Logger LOG = Logger.getLogger(TrainWorker.class);

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "bia.s3.bucket", defaultValue = "jbia")
    String bucket;

    @ConfigProperty(name = "bia.worker.name")
    Optional<String> workerName;

    @ConfigProperty(name = "bia.train.heartbeat-seconds", defaultValue = "10")
    long heartbeatSeconds;

    @Channel("train-progress")
    Emitter<String> progress;

    @Channel("train-completed")
    Emitter<String> completed;

    @Channel("train-failed")
    Emitter<String> failed;

    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "train-heartbeat");
        t.setDaemon(true);
        return t;
    });

    @Incoming("train-requested")
    @Blocking
    public CompletionStage<Void> onRequest(Message<String> message) {
        TrainRequested request;
        try {
            request = JsonCodec.decodeEvent(message.getPayload(), TrainRequested.class);
        } catch (MalformedEventException e) {
            return message.nack(e);
        }
        message.ack().toCompletableFuture().join();
        train(request);
        return CompletableFuture.completedFuture(null);
    }

    void train(TrainRequested request) {
        Optional<byte[]> done = store.getIfExists(bucket, key(request, "completed.json"));
        if (done.isPresent()) {
            LOG.infof("job %s: request %s was already trained; answering from the stored result", request.jobId(),
                    request.requestId());
            EventSender.sendAndWait(completed, JsonCodec.decodeEvent(new String(done.get(), StandardCharsets.UTF_8),
                    TrainCompleted.class));
            return;
        }
        int epochs = request.spec().epochs();
        sendProgress(request, TrainProgress.Phase.STARTED, 0, epochs, Map.of());
        ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(
                () -> sendProgress(request, TrainProgress.Phase.HEARTBEAT, 0, epochs, Map.of()),
                heartbeatSeconds, heartbeatSeconds, TimeUnit.SECONDS);
        try {
            TrainingData data = read(request.data());
            LOG.infof("job %s: training %s on %d positive and %d negative images of %dx%dx%d (attempt %d)",
                    request.jobId(), request.spec().clf(), data.positive().count(), data.negative().count(),
                    data.positive().height(), data.positive().width(), data.positive().bands(), request.attempt());
            TrainingOutcome outcome = TrainingJob.run(data, request.spec(), request.seed(),
                    (epoch, total, metrics) -> sendProgress(request, TrainProgress.Phase.EPOCH, epoch, total, metrics));
            ObjectRef report = store.put(bucket, key(request, "report.json"),
                    outcome.reportJson().getBytes(StandardCharsets.UTF_8), null, "json");
            ObjectRef model = store.put(bucket, key(request, "bundle.zip"), outcome.bundle(), null, "zip");
            TrainCompleted result = new TrainCompleted(Event.CURRENT_VERSION, request.jobId(), request.requestId(),
                    request.attempt(), worker(), model, report, outcome.metrics(), outcome.epochsRun(),
                    outcome.stopReason());
            store.put(bucket, key(request, "completed.json"), JsonCodec.encode(result).getBytes(StandardCharsets.UTF_8),
                    null, "json");
            EventSender.sendAndWait(completed, result);
            LOG.infof("job %s: trained, %d epochs (%s), model %s", request.jobId(), outcome.epochsRun(),
                    outcome.stopReason(), model);
        } catch (RuntimeException | OutOfMemoryError e) {
            String reason = e.getMessage() != null ? e.getMessage() : e.toString();
            LOG.warnf(e, "job %s: training failed: %s", request.jobId(), reason);
            EventSender.sendAndWait(failed, new TrainFailed(Event.CURRENT_VERSION, request.jobId(), request.requestId(),
                    request.attempt(), worker(), reason));
        } finally {
            beat.cancel(false);
        }
    }

    private TrainingData read(DatasetRefs refs) {
        return new TrainingData(read(refs.positive()), read(refs.negative()), read(refs.valPositive()),
                read(refs.valNegative()), read(refs.testPositive()), read(refs.testNegative()));
    }

    private ImageStack read(ObjectRef ref) {
        return ref == null ? null : Npy.read(store.get(ref));
    }

    private void sendProgress(TrainRequested request, TrainProgress.Phase phase, int epoch, int epochs,
                              Map<String, Double> metrics) {
        EventSender.send(progress, new TrainProgress(Event.CURRENT_VERSION, request.jobId(), request.requestId(),
                request.attempt(), worker(), phase, epoch, epochs, metrics, System.currentTimeMillis()));
    }

    private static String key(TrainRequested request, String name) {
        return "jobs/" + request.jobId() + "/model/" + name;
    }

    private String worker() {
        return workerName.orElseGet(() -> "train@" + ProcessHandle.current().pid());
    }
}
