package org.jbia.optimize.job;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbia.common.schema.AugmentCompleted;
import org.jbia.common.schema.AugmentFailed;
import org.jbia.common.schema.AugmentRequested;
import org.jbia.common.schema.DatasetRefs;
import org.jbia.common.schema.Event;
import org.jbia.common.schema.JobSpec;
import org.jbia.common.schema.ObjectRef;
import org.jbia.common.schema.TrainCancelled;
import org.jbia.common.schema.TrainCompleted;
import org.jbia.common.schema.TrainFailed;
import org.jbia.common.schema.TrainProgress;
import org.jbia.common.schema.TrainRequested;

/**
 * A job and its life: each method takes one fact (an event, the clock) and returns the requests
 * to send because of it. Pure: no Kafka, no store; the orchestrator persists the job after every
 * change and sends what it is told to. Every state change is kept in {@link #history()}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class Job {

    /** One line of the job's record: when, what state, and why. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StateChange(long atMillis, JobState state, String detail) {
    }

    /** What the user sees while training runs. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Progress(int epoch, int epochs, Map<String, Double> metrics) {
    }

    /** The outcome of a completed job. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Result(ObjectRef model, ObjectRef report, Map<String, Double> metrics, int epochsRun,
                         String stopReason, String worker) {
    }

    private String id;
    private JobSpec spec;
    private long seed;
    private JobState state;
    private DatasetRefs input;
    private DatasetRefs augmented;
    private int attempt;
    private String worker;
    private long leaseRenewedAt;
    private Progress progress;
    private List<Map<String, Double>> epochs = new ArrayList<>();
    private Result result;
    private String failure;
    /** Why the job was cancelled; null unless it was. */
    private String cancellation;
    /** A cancelled training request whose run has not yet been heard to end: a restart cancels it again. */
    private boolean awaitingStop;
    private List<StateChange> history = new ArrayList<>();
    private long createdAt;
    private long updatedAt;

    private Job() {
        // for the JSON codec
    }

    public static Job submitted(String id, JobSpec spec, long seed, DatasetRefs input, long now) {
        Job job = new Job();
        job.id = id;
        job.spec = spec.withSeed(seed);
        job.seed = seed;
        job.input = input;
        job.createdAt = now;
        job.move(JobState.SUBMITTED, now, "accepted: " + describe(input));
        return job;
    }

    /** The first request of the job: augmentation when the spec asks for it, else training. */
    public List<Event> start(long now) {
        requireState(JobState.SUBMITTED);
        if (spec.augments()) {
            move(JobState.AUGMENTING, now, "augmentation requested");
            return List.of(augmentRequest());
        }
        return requestTraining(input, now, "training requested (no augmentation)");
    }

    public List<Event> onAugmentCompleted(AugmentCompleted e, long now) {
        if (state != JobState.AUGMENTING || !e.requestId().equals(augmentRequestId())) {
            return List.of();
        }
        augmented = e.data();
        return requestTraining(augmented, now, "augmented by " + e.worker() + " in " + e.millis() + " ms: "
                + describe(augmented));
    }

    public List<Event> onAugmentFailed(AugmentFailed e, long now) {
        if (state == JobState.AUGMENTING && e.requestId().equals(augmentRequestId())) {
            failure = "augmentation failed on " + e.worker() + ": " + e.reason();
            move(JobState.FAILED, now, failure);
        }
        return List.of();
    }

    /** A report from the worker holding the current attempt's lease renews it; any other is recorded and ignored. */
    public List<Event> onTrainProgress(TrainProgress e, long now) {
        if (!admits("progress", e.requestId(), e.attempt(), e.worker(), now)) {
            return List.of();
        }
        leaseRenewedAt = Math.max(leaseRenewedAt, e.atMillis());
        if (e.phase() == TrainProgress.Phase.EPOCH) {
            progress = new Progress(e.epoch(), e.epochs(), e.metrics());
            while (epochs.size() < e.epoch()) {
                epochs.add(Map.of());
            }
            epochs.set(e.epoch() - 1, new LinkedHashMap<>(e.metrics()));
        }
        updatedAt = now;
        return List.of();
    }

    /**
     * Only the current attempt's lease holder completes the job: a model from a superseded attempt or
     * from a second worker that got the same request is recorded and ignored, because the holder's
     * own result (or the requeued attempt's) is on its way.
     */
    public List<Event> onTrainCompleted(TrainCompleted e, long now) {
        heardEnd(e.requestId());
        if (!admits("completion", e.requestId(), e.attempt(), e.worker(), now)) {
            return List.of();
        }
        result = new Result(e.model(), e.report(), e.metrics(), e.epochsRun(), e.stopReason(), e.worker());
        move(JobState.COMPLETED, now, "trained by " + e.worker() + " (attempt " + e.attempt() + "), "
                + e.epochsRun() + " epochs, stopped by " + e.stopReason());
        return List.of();
    }

    public List<Event> onTrainFailed(TrainFailed e, long now) {
        heardEnd(e.requestId());
        if (state == JobState.CANCELLED && e.requestId().equals(trainRequestId()) && e.reason() != null
                && e.reason().startsWith("cancelled")) {
            // The worker obeyed the cancel: the record says where the run stopped.
            record("training stopped on " + e.worker() + " (attempt " + e.attempt() + "): " + e.reason(), now);
            return List.of();
        }
        if (admits("failure", e.requestId(), e.attempt(), e.worker(), now)) {
            failure = "training failed on " + e.worker() + ": " + e.reason();
            move(JobState.FAILED, now, failure);
        }
        return List.of();
    }

    /**
     * Ends the job without a result because whoever asked for it no longer needs it (a pruned or
     * failed trial's fold): a training request already sent is cancelled, so the worker running it
     * stops at its next epoch end and one that has not taken it yet skips it. Later reports are
     * recorded and ignored. A job that has ended already is left as it is.
     */
    public List<Event> cancel(String reason, long now) {
        if (state.isTerminal()) {
            return List.of();
        }
        boolean sent = state == JobState.TRAINING;
        cancellation = reason;
        move(JobState.CANCELLED, now, "cancelled: " + reason);
        // An augmentation is not stopped: it is short, and its answer finds the job ended.
        awaitingStop = sent;
        return sent ? List.of(cancelRequest()) : List.of();
    }

    /**
     * The lease: a worker that took the request and then fell silent for longer than
     * {@code leaseMillis} has lost it; the request goes out again, up to {@code maxAttempts}.
     * A request no worker has taken yet is only queued, and waits.
     */
    public List<Event> onClock(long now, long leaseMillis, int maxAttempts) {
        if (state != JobState.TRAINING || worker == null || now - leaseRenewedAt <= leaseMillis) {
            return List.of();
        }
        String silent = "worker " + worker + " went silent for " + (now - leaseRenewedAt) / 1000 + " s during attempt "
                + attempt;
        if (attempt >= maxAttempts) {
            failure = silent + "; gave up after " + maxAttempts + " attempts";
            move(JobState.FAILED, now, failure);
            return List.of();
        }
        attempt++;
        worker = null;
        progress = null;
        epochs.clear();
        move(JobState.TRAINING, now, silent + "; requeued as attempt " + attempt);
        return List.of(trainRequest());
    }

    /**
     * After an orchestrator restart: the request of the current stage goes out again unless a worker
     * is known to hold it (its lease then decides), and a cancel not yet obeyed goes out once more.
     * Workers are idempotent on the request id, so a request sent twice does its work once.
     */
    public List<Event> resume(long now) {
        return switch (state) {
            case SUBMITTED -> start(now);
            case AUGMENTING -> List.of(augmentRequest());
            case TRAINING -> {
                if (worker == null) {
                    yield List.of(trainRequest());
                }
                // The worker gets a full lease to show it is still there before the request is requeued.
                leaseRenewedAt = Math.max(leaseRenewedAt, now);
                yield List.of();
            }
            case CANCELLED -> {
                // A cancel lost in a crash between saving and sending goes out again, once: workers that
                // stopped already ignore it, and a cancel that keeps missing is no reason to repeat it forever.
                if (!awaitingStop) {
                    yield List.of();
                }
                awaitingStop = false;
                yield List.of(cancelRequest());
            }
            case COMPLETED, FAILED -> List.of();
        };
    }

    /**
     * The fence: a training report counts only if it is for the current attempt of this job's training
     * request and comes from the attempt's lease holder, the first worker to report on it. Any other
     * report is ignored, with a line in the history saying whose and why (once per worker, attempt,
     * kind and reason, so a duplicate run's heartbeats do not flood the record).
     */
    private boolean admits(String kind, String requestId, int reportAttempt, String reporter, long now) {
        String refusal;
        if (state.isTerminal() && state != JobState.CANCELLED && reportAttempt == attempt && reporter.equals(worker)) {
            // The run that ended the job, heard late (a heartbeat, an epoch on the other topic): nothing new.
            return false;
        } else if (state != JobState.TRAINING) {
            refusal = "the job is " + state;
        } else if (!requestId.equals(trainRequestId())) {
            refusal = "request " + requestId + " is not this job's training request " + trainRequestId();
        } else if (reportAttempt < attempt) {
            refusal = "attempt " + reportAttempt + " was superseded by attempt " + attempt;
        } else if (reportAttempt > attempt) {
            refusal = "attempt " + reportAttempt + " was never requested (the current one is " + attempt + ")";
        } else if (worker != null && !worker.equals(reporter)) {
            refusal = "worker " + worker + " holds the lease of attempt " + attempt;
        } else {
            if (worker == null) {
                worker = reporter;
                history.add(new StateChange(now, state, "training started on " + worker + " (attempt " + attempt
                        + ")"));
            }
            return true;
        }
        record("ignored " + kind + " from " + reporter + " (attempt " + reportAttempt + "): " + refusal, now);
        return false;
    }

    /** A line in the history, once: a duplicate run's heartbeats must not flood the record. */
    private void record(String detail, long now) {
        if (history.stream().noneMatch(c -> c.detail().equals(detail))) {
            history.add(new StateChange(now, state, detail));
        }
    }

    /** A run of the cancelled request ended (stopped, finished or failed): no cancel needs repeating. */
    private void heardEnd(String requestId) {
        if (state == JobState.CANCELLED && requestId.equals(trainRequestId())) {
            awaitingStop = false;
        }
    }

    private List<Event> requestTraining(DatasetRefs data, long now, String detail) {
        attempt = 1;
        worker = null;
        move(JobState.TRAINING, now, detail);
        return List.of(trainRequest());
    }

    private AugmentRequested augmentRequest() {
        return new AugmentRequested(Event.CURRENT_VERSION, id, augmentRequestId(), 1, input, spec.augmentPositive(),
                spec.augmentNegative(), seed);
    }

    private TrainRequested trainRequest() {
        // Training derives its own seed stream from the job seed so augmentation and training never share draws.
        return new TrainRequested(Event.CURRENT_VERSION, id, trainRequestId(), attempt,
                augmented != null ? augmented : input, spec.train(), seed ^ 0x5DEECE66DL);
    }

    private TrainCancelled cancelRequest() {
        return new TrainCancelled(Event.CURRENT_VERSION, id, trainRequestId(), attempt, cancellation);
    }

    private String augmentRequestId() {
        return id + ":augment";
    }

    private String trainRequestId() {
        return id + ":train";
    }

    private void move(JobState next, long now, String detail) {
        state = next;
        updatedAt = now;
        history.add(new StateChange(now, next, detail));
    }

    private void requireState(JobState expected) {
        if (state != expected) {
            throw new IllegalStateException("job " + id + " is " + state + ", expected " + expected);
        }
    }

    private static String describe(DatasetRefs data) {
        StringBuilder s = new StringBuilder();
        append(s, "positive", data.positive());
        append(s, "negative", data.negative());
        append(s, "val_positive", data.valPositive());
        append(s, "val_negative", data.valNegative());
        append(s, "test_positive", data.testPositive());
        append(s, "test_negative", data.testNegative());
        return s.toString();
    }

    private static void append(StringBuilder s, String name, ObjectRef ref) {
        if (ref != null) {
            if (!s.isEmpty()) {
                s.append(", ");
            }
            s.append(name).append(' ').append(java.util.Arrays.toString(ref.shape()));
        }
    }

    public String id() {
        return id;
    }

    public JobSpec spec() {
        return spec;
    }

    public JobState state() {
        return state;
    }

    public DatasetRefs input() {
        return input;
    }

    public DatasetRefs augmented() {
        return augmented;
    }

    public int attempt() {
        return attempt;
    }

    public String worker() {
        return worker;
    }

    public Progress progress() {
        return progress;
    }

    public Result result() {
        return result;
    }

    public String failure() {
        return failure;
    }

    /** Why the job was cancelled; null unless it was. */
    public String cancellation() {
        return cancellation;
    }

    /** A cancelled job whose training run was not heard to end: {@link #resume} cancels it again. */
    public boolean awaitingStop() {
        return awaitingStop;
    }

    public List<StateChange> history() {
        return List.copyOf(history);
    }

    public List<Map<String, Double>> epochs() {
        return List.copyOf(epochs);
    }

    public long updatedAt() {
        return updatedAt;
    }

    @JsonIgnore
    public boolean isTerminal() {
        return state.isTerminal();
    }
}
