package org.jbia.train.service;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.jbia.common.schema.TrainCancelled;
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
 * from its stored result, as the attempt asked for.
 *
 * <p>Kafka may still deliver one request twice (a rebalance while a take is being committed): the copy
 * is skipped when this instance already ran that attempt, or when another worker's claim on it in the
 * store ({@code attempt-N.taken}, renewed with each heartbeat) is fresh. The orchestrator fences what
 * gets through anyway: only the attempt's first reporter counts. Each run writes its model under its
 * own key, so a second run of a request never overwrites the model a job already holds.
 *
 * <p>bia.train.cancelled stops a run whose job no longer needs it (a pruned trial): every instance hears
 * every cancel, the one running the request stops at the next epoch end and stores nothing, one that
 * takes the request later skips it; either answers with a failure whose reason starts "cancelled".
 */
@ApplicationScoped
public class TrainWorker {
    private static final Logger LOG = Logger.getLogger(TrainWorker.class);
    /** A claim renewed within this many heartbeats belongs to a worker that is still running the attempt. */
    private static final int CLAIM_FRESH_HEARTBEATS = 5;
    /** Cancels remembered for requests not (yet) running here: far more than can wait in the queue at once. */
    private static final int CANCELS_KEPT = 10_000;

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

    /** The attempts this instance took, as "request id#attempt"; runs are one at a time, so each has ended. */
    private final Set<String> taken = ConcurrentHashMap.newKeySet();

    private final Cancellations cancels = new Cancellations(CANCELS_KEPT);

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

    /** bia.train.cancelled, read whole by every instance; only noted here, so it runs on the consumer's thread. */
    @Incoming("train-cancelled")
    public void onCancel(String json) {
        try {
            TrainCancelled cancel = JsonCodec.decodeEvent(json, TrainCancelled.class);
            cancels.add(cancel);
            LOG.infof("job %s: request %s cancelled up to attempt %d: %s", cancel.jobId(), cancel.requestId(),
                    cancel.attempt(), cancel.reason());
        } catch (MalformedEventException e) {
            // Every instance reads every cancel: a dead letter from each would only multiply the noise.
            LOG.warnf("ignored a malformed cancel: %s", e.getMessage());
        }
    }

    void train(TrainRequested request) {
        Optional<byte[]> done = store.getIfExists(bucket, key(request, "completed.json"));
        if (done.isPresent()) {
            LOG.infof("job %s: request %s was already trained; answering attempt %d from the stored result",
                    request.jobId(), request.requestId(), request.attempt());
            TrainCompleted stored = JsonCodec.decodeEvent(new String(done.get(), StandardCharsets.UTF_8),
                    TrainCompleted.class);
            // Answered as this attempt by this worker: the orchestrator takes only the current attempt's holder.
            EventSender.sendAndWait(completed, new TrainCompleted(Event.CURRENT_VERSION, request.jobId(),
                    request.requestId(), request.attempt(), worker(), stored.model(), stored.report(), stored.metrics(),
                    stored.epochsRun(), stored.stopReason()));
            return;
        }
        if (!taken.add(request.requestId() + "#" + request.attempt())) {
            LOG.infof("job %s: attempt %d of %s already ran on this instance; skipping the repeat", request.jobId(),
                    request.attempt(), request.requestId());
            return;
        }
        Optional<Claim> other = claim(request).filter(c -> !c.worker().equals(worker())
                && System.currentTimeMillis() - c.atMillis() < CLAIM_FRESH_HEARTBEATS * heartbeatSeconds * 1000);
        if (other.isPresent()) {
            LOG.infof("job %s: attempt %d of %s is being run by %s (claim renewed %d ms ago); skipping the repeat",
                    request.jobId(), request.attempt(), request.requestId(), other.get().worker(),
                    System.currentTimeMillis() - other.get().atMillis());
            return;
        }
        Optional<String> cancelled = cancels.reason(request.requestId(), request.attempt());
        if (cancelled.isPresent()) {
            String reason = RunCancelled.message(0, request.spec().epochs(), cancelled.get());
            LOG.infof("job %s: attempt %d of %s skipped, %s", request.jobId(), request.attempt(), request.requestId(),
                    reason);
            EventSender.sendAndWait(failed, new TrainFailed(Event.CURRENT_VERSION, request.jobId(), request.requestId(),
                    request.attempt(), worker(), reason));
            return;
        }
        renewClaim(request);
        int epochs = request.spec().epochs();
        sendProgress(request, TrainProgress.Phase.STARTED, 0, epochs, Map.of());
        // The outcome is the run's last word: a heartbeat must never be sent after it, so the beat stops
        // (waiting out one in flight) before the outcome goes out.
        AtomicBoolean ended = new AtomicBoolean();
        ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(
                () -> {
                    synchronized (ended) {
                        if (!ended.get()) {
                            sendProgress(request, TrainProgress.Phase.HEARTBEAT, 0, epochs, Map.of());
                            renewClaim(request);
                        }
                    }
                },
                heartbeatSeconds, heartbeatSeconds, TimeUnit.SECONDS);
        Runnable endBeat = () -> {
            synchronized (ended) {
                ended.set(true);
            }
            beat.cancel(false);
        };
        try {
            TrainingData data = read(request.data());
            LOG.infof("job %s: training %s on %d positive and %d negative images of %dx%dx%d (attempt %d)",
                    request.jobId(), request.spec().clf(), data.positive().count(), data.negative().count(),
                    data.positive().height(), data.positive().width(), data.positive().bands(), request.attempt());
            TrainingOutcome outcome = TrainingJob.run(data, request.spec(), request.seed(),
                    cancels.stopping(request.requestId(), request.attempt(),
                            (epoch, total, metrics) -> sendProgress(request, TrainProgress.Phase.EPOCH, epoch, total,
                                    metrics)));
            ObjectRef report = store.put(bucket, key(request, run(request) + "/report.json"),
                    outcome.reportJson().getBytes(StandardCharsets.UTF_8), null, "json");
            ObjectRef model = store.put(bucket, key(request, run(request) + "/bundle.zip"), outcome.bundle(), null,
                    "zip");
            TrainCompleted result = new TrainCompleted(Event.CURRENT_VERSION, request.jobId(), request.requestId(),
                    request.attempt(), worker(), model, report, outcome.metrics(), outcome.epochsRun(),
                    outcome.stopReason());
            store.put(bucket, key(request, "completed.json"), JsonCodec.encode(result).getBytes(StandardCharsets.UTF_8),
                    null, "json");
            endBeat.run();
            EventSender.sendAndWait(completed, result);
            LOG.infof("job %s: trained, %d epochs (%s), model %s", request.jobId(), outcome.epochsRun(),
                    outcome.stopReason(), model);
        } catch (RunCancelled e) {
            LOG.infof("job %s: attempt %d %s; no model stored", request.jobId(), request.attempt(), e.getMessage());
            endBeat.run();
            EventSender.sendAndWait(failed, new TrainFailed(Event.CURRENT_VERSION, request.jobId(), request.requestId(),
                    request.attempt(), worker(), e.getMessage()));
        } catch (RuntimeException | OutOfMemoryError e) {
            String reason = e.getMessage() != null ? e.getMessage() : e.toString();
            LOG.warnf(e, "job %s: training failed: %s", request.jobId(), reason);
            endBeat.run();
            EventSender.sendAndWait(failed, new TrainFailed(Event.CURRENT_VERSION, request.jobId(), request.requestId(),
                    request.attempt(), worker(), reason));
        } finally {
            endBeat.run();
        }
    }

    private TrainingData read(DatasetRefs refs) {
        return new TrainingData(read(refs.positive()), read(refs.negative()), read(refs.valPositive()),
                read(refs.valNegative()), read(refs.testPositive()), read(refs.testNegative()));
    }

    private ImageStack read(ObjectRef ref) {
        return ref == null ? null : Npy.read(store.get(ref));
    }

    /**
     * A progress report, waited for: progress and outcomes go out through different producers, so only
     * a report the broker already holds is sure to come before the outcome sent after it. A report
     * that cannot be sent is logged, not fatal: the next one supersedes it.
     */
    private void sendProgress(TrainRequested request, TrainProgress.Phase phase, int epoch, int epochs,
                              Map<String, Double> metrics) {
        try {
            EventSender.sendAndWait(progress, new TrainProgress(Event.CURRENT_VERSION, request.jobId(),
                    request.requestId(), request.attempt(), worker(), phase, epoch, epochs, metrics,
                    System.currentTimeMillis()));
        } catch (RuntimeException e) {
            LOG.warnf("job %s: progress report (%s) not sent: %s", request.jobId(), phase, e.getMessage());
        }
    }

    /** Who took an attempt and when they last said so. */
    record Claim(String worker, long atMillis) {
    }

    private Optional<Claim> claim(TrainRequested request) {
        return store.getIfExists(bucket, key(request, "attempt-" + request.attempt() + ".taken"))
                .map(bytes -> JsonCodec.decode(new String(bytes, StandardCharsets.UTF_8), Claim.class));
    }

    private void renewClaim(TrainRequested request) {
        try {
            store.put(bucket, key(request, "attempt-" + request.attempt() + ".taken"),
                    JsonCodec.encode(new Claim(worker(), System.currentTimeMillis())).getBytes(StandardCharsets.UTF_8),
                    null, "json");
        } catch (RuntimeException e) {
            // The claim only saves a duplicate run the work; the orchestrator's fence does not depend on it.
            LOG.warnf("job %s: could not renew the claim on attempt %d: %s", request.jobId(), request.attempt(),
                    e.getMessage());
        }
    }

    /** This run's folder: its attempt and worker, so that two runs of one request never share a key. */
    private String run(TrainRequested request) {
        return "attempt-" + request.attempt() + "-" + worker().replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String key(TrainRequested request, String name) {
        return "jobs/" + request.jobId() + "/model/" + name;
    }

    private String worker() {
        return workerName.orElseGet(() -> "train@" + ProcessHandle.current().pid());
    }
}
