package org.jbia.optimize.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.jbia.common.schema.AugmentCompleted;
import org.jbia.common.schema.AugmentFailed;
import org.jbia.common.schema.AugmentRequested;
import org.jbia.common.schema.AugmentSpec;
import org.jbia.common.schema.DatasetRefs;
import org.jbia.common.schema.Event;
import org.jbia.common.schema.JobSpec;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.ObjectRef;
import org.jbia.common.schema.TrainCancelled;
import org.jbia.common.schema.TrainCompleted;
import org.jbia.common.schema.TrainFailed;
import org.jbia.common.schema.TrainProgress;
import org.jbia.common.schema.TrainRequested;
import org.jbia.common.schema.TrainSpec;
import org.junit.jupiter.api.Test;

class JobTest {
    private static final ObjectRef POS = new ObjectRef("b", "in/p.npy", 10, "aa", new int[] {20, 100, 100, 3}, "float32");
    private static final ObjectRef NEG = new ObjectRef("b", "in/n.npy", 10, "bb", new int[] {50, 100, 100, 3}, "float32");
    private static final DatasetRefs INPUT = new DatasetRefs(POS, NEG, null, null, null, null);
    private static final long LEASE = 10_000;

    private static JobSpec spec(boolean augment) {
        return new JobSpec("t", augment ? AugmentSpec.identity() : null, null, TrainSpec.defaults(), null);
    }

    @Test
    void withoutAugmentationTheFirstRequestIsTraining() {
        Job job = Job.submitted("j1", spec(false), 42, INPUT, 0);
        List<Event> out = job.start(1);
        assertThat(out).singleElement().isInstanceOf(TrainRequested.class);
        TrainRequested r = (TrainRequested) out.get(0);
        assertThat(r.data()).isEqualTo(INPUT);
        assertThat(r.attempt()).isEqualTo(1);
        assertThat(job.state()).isEqualTo(JobState.TRAINING);
    }

    @Test
    void augmentedDataIsWhatTrainingGets() {
        Job job = Job.submitted("j1", spec(true), 42, INPUT, 0);
        AugmentRequested a = (AugmentRequested) job.start(1).get(0);
        assertThat(job.state()).isEqualTo(JobState.AUGMENTING);
        assertThat(a.seed()).isEqualTo(42);
        DatasetRefs augmented = INPUT.withClasses(
                new ObjectRef("b", "aug/p.npy", 5, "cc", new int[] {500, 67, 67, 3}, "float32"), NEG);
        List<Event> out = job.onAugmentCompleted(new AugmentCompleted(1, "j1", a.requestId(), 1, "w", augmented, 5), 2);
        assertThat(((TrainRequested) out.get(0)).data()).isEqualTo(augmented);
        assertThat(job.state()).isEqualTo(JobState.TRAINING);
        // A repeated completion (redelivery) changes nothing and requests nothing.
        assertThat(job.onAugmentCompleted(new AugmentCompleted(1, "j1", a.requestId(), 1, "w", augmented, 5), 3))
                .isEmpty();
    }

    @Test
    void augmentationFailureEndsTheJobWithTheReason() {
        Job job = Job.submitted("j1", spec(true), 42, INPUT, 0);
        AugmentRequested a = (AugmentRequested) job.start(1).get(0);
        job.onAugmentFailed(new AugmentFailed(1, "j1", a.requestId(), 1, "w", "mask_size too large"), 2);
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.failure()).contains("mask_size too large").contains("augmentation failed");
    }

    @Test
    void progressAndCompletionAreRecorded() {
        Job job = Job.submitted("j1", spec(false), 42, INPUT, 0);
        TrainRequested r = (TrainRequested) job.start(1).get(0);
        job.onTrainProgress(progress(r, "w1", TrainProgress.Phase.STARTED, 0, 5), 6);
        job.onTrainProgress(progress(r, "w1", TrainProgress.Phase.EPOCH, 1, 6), 7);
        assertThat(job.progress().epoch()).isEqualTo(1);
        assertThat(job.epochs()).hasSize(1);
        assertThat(job.worker()).isEqualTo("w1");
        ObjectRef model = new ObjectRef("b", "m.zip", 3, "dd", null, "zip");
        job.onTrainCompleted(new TrainCompleted(1, "j1", r.requestId(), 1, "w1", model, model, Map.of("loss", 0.1), 1,
                "epochs"), 8);
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.result().model()).isEqualTo(model);
        assertThat(job.history()).extracting(Job.StateChange::state)
                .containsExactly(JobState.SUBMITTED, JobState.TRAINING, JobState.TRAINING, JobState.COMPLETED);
    }

    @Test
    void aSilentWorkerLosesItsLeaseAndTheRequestIsRequeued() {
        Job job = Job.submitted("j1", spec(false), 42, INPUT, 0);
        TrainRequested r = (TrainRequested) job.start(1).get(0);
        // Queued, nobody took it: no lease runs, however long it waits.
        assertThat(job.onClock(1_000_000, LEASE, 3)).isEmpty();
        job.onTrainProgress(progress(r, "w1", TrainProgress.Phase.STARTED, 0, 1_000_000), 1_000_000);
        assertThat(job.onClock(1_000_000 + LEASE, LEASE, 3)).isEmpty();
        List<Event> out = job.onClock(1_000_000 + LEASE + 1, LEASE, 3);
        TrainRequested again = (TrainRequested) out.get(0);
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.requestId()).isEqualTo(r.requestId());
        assertThat(job.worker()).isNull();
        assertThat(job.history().get(job.history().size() - 1).detail()).contains("w1 went silent")
                .contains("attempt 2");
        // A late epoch of the first attempt does not count for the second.
        job.onTrainProgress(progress(r, "w1", TrainProgress.Phase.EPOCH, 1, 1_000_000 + LEASE + 2), 0);
        assertThat(job.worker()).isNull();
    }

    @Test
    void aSecondWorkerOnTheSameAttemptIsFencedOutAndRecordedOnce() {
        Job job = Job.submitted("j1", spec(false), 42, INPUT, 0);
        TrainRequested r = (TrainRequested) job.start(1).get(0);
        job.onTrainProgress(progress(r, "w1", TrainProgress.Phase.STARTED, 0, 100), 100);
        // The same request delivered to a second worker: its reports neither move the job nor renew the lease.
        job.onTrainProgress(progress(r, "w2", TrainProgress.Phase.STARTED, 0, 200), 200);
        job.onTrainProgress(progress(r, "w2", TrainProgress.Phase.EPOCH, 1, 300), 300);
        for (long t = 400; t < 100 + 3 * LEASE; t += 1_000) {
            job.onTrainProgress(progress(r, "w2", TrainProgress.Phase.HEARTBEAT, 0, t), t);
        }
        assertThat(job.worker()).isEqualTo("w1");
        assertThat(job.progress()).isNull();
        assertThat(job.epochs()).isEmpty();
        assertThat(job.history()).extracting(Job.StateChange::detail)
                .containsOnlyOnce("training started on w1 (attempt 1)",
                        "ignored progress from w2 (attempt 1): worker w1 holds the lease of attempt 1")
                .noneMatch(d -> d.contains("started on w2"));
        List<Event> out = job.onClock(100 + LEASE + 1, LEASE, 3);
        assertThat(out).singleElement().extracting(e -> ((TrainRequested) e).attempt()).isEqualTo(2);
        assertThat(job.history().get(job.history().size() - 1).detail()).contains("worker w1 went silent");
    }

    @Test
    void onlyTheLeaseHolderCompletesOrFailsTheAttempt() {
        Job job = Job.submitted("j1", spec(false), 42, INPUT, 0);
        TrainRequested r = (TrainRequested) job.start(1).get(0);
        job.onTrainProgress(progress(r, "w1", TrainProgress.Phase.STARTED, 0, 5), 5);
        job.onTrainFailed(new TrainFailed(1, "j1", r.requestId(), 1, "w2", "out of memory"), 6);
        job.onTrainCompleted(completed(r.requestId(), 1, "w2", "m2.zip"), 7);
        assertThat(job.state()).isEqualTo(JobState.TRAINING);
        assertThat(job.result()).isNull();
        assertThat(job.failure()).isNull();
        assertThat(job.history()).extracting(Job.StateChange::detail).contains(
                "ignored failure from w2 (attempt 1): worker w1 holds the lease of attempt 1",
                "ignored completion from w2 (attempt 1): worker w1 holds the lease of attempt 1");

        job.onTrainCompleted(completed(r.requestId(), 1, "w1", "m1.zip"), 8);
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.result().worker()).isEqualTo("w1");
        assertThat(job.result().model().key()).isEqualTo("m1.zip");
        // The holder heard late adds nothing; another worker's late model is recorded and changes nothing.
        int lines = job.history().size();
        job.onTrainProgress(progress(r, "w1", TrainProgress.Phase.HEARTBEAT, 0, 9), 9);
        assertThat(job.history()).hasSize(lines);
        job.onTrainCompleted(completed(r.requestId(), 1, "w3", "m3.zip"), 10);
        assertThat(job.result().model().key()).isEqualTo("m1.zip");
        assertThat(job.history().get(lines).detail())
                .isEqualTo("ignored completion from w3 (attempt 1): the job is COMPLETED");
    }

    @Test
    void aRequeueSupersedesTheEarlierAttemptsReports() {
        Job job = Job.submitted("j1", spec(false), 42, INPUT, 0);
        TrainRequested r = (TrainRequested) job.start(1).get(0);
        job.onTrainProgress(progress(r, "w1", TrainProgress.Phase.STARTED, 0, 100), 100);
        TrainRequested second = (TrainRequested) job.onClock(100 + LEASE + 1, LEASE, 3).get(0);
        // The slow first worker was alive after all: its model comes too late and is not taken.
        job.onTrainCompleted(completed(r.requestId(), 1, "w1", "m1.zip"), 100 + LEASE + 2);
        job.onTrainFailed(new TrainFailed(1, "j1", r.requestId(), 1, "w1", "stopped"), 100 + LEASE + 3);
        assertThat(job.state()).isEqualTo(JobState.TRAINING);
        assertThat(job.history()).extracting(Job.StateChange::detail).contains(
                "ignored completion from w1 (attempt 1): attempt 1 was superseded by attempt 2",
                "ignored failure from w1 (attempt 1): attempt 1 was superseded by attempt 2");
        // A report for an attempt never sent is no claim either.
        job.onTrainProgress(new TrainProgress(1, "j1", r.requestId(), 3, "w9", TrainProgress.Phase.STARTED, 0, 3,
                Map.of(), 100 + LEASE + 4), 100 + LEASE + 4);
        assertThat(job.worker()).isNull();
        assertThat(job.history().get(job.history().size() - 1).detail())
                .isEqualTo("ignored progress from w9 (attempt 3): attempt 3 was never requested (the current one is 2)");

        // A worker answering the requeued attempt from a stored result reports no start: its completion claims it.
        job.onTrainCompleted(completed(second.requestId(), 2, "w2", "m2.zip"), 100 + LEASE + 5);
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.worker()).isEqualTo("w2");
        assertThat(job.result().model().key()).isEqualTo("m2.zip");
        assertThat(job.history()).extracting(Job.StateChange::detail).contains("training started on w2 (attempt 2)");
    }

    @Test
    void theLeaseHolderSurvivesTheCodec() {
        Job job = Job.submitted("j1", spec(false), 42, INPUT, 0);
        TrainRequested r = (TrainRequested) job.start(1).get(0);
        job.onTrainProgress(progress(r, "w1", TrainProgress.Phase.STARTED, 0, 5), 5);
        Job copy = JsonCodec.decode(JsonCodec.encode(job), Job.class);
        copy.onTrainCompleted(completed(r.requestId(), 1, "w2", "m2.zip"), 6);
        assertThat(copy.state()).isEqualTo(JobState.TRAINING);
        copy.onTrainCompleted(completed(r.requestId(), 1, "w1", "m1.zip"), 7);
        assertThat(copy.state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void afterTheLastAttemptTheJobFailsWithTheReason() {
        Job job = Job.submitted("j1", spec(false), 42, INPUT, 0);
        TrainRequested r = (TrainRequested) job.start(1).get(0);
        job.onTrainProgress(progress(r, "w1", TrainProgress.Phase.STARTED, 0, 100), 100);
        assertThat(job.onClock(100 + LEASE + 1, LEASE, 1)).isEmpty();
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.failure()).contains("went silent").contains("gave up after 1 attempts");
    }

    @Test
    void trainingFailureOfTheCurrentAttemptEndsTheJob() {
        Job job = Job.submitted("j1", spec(false), 42, INPUT, 0);
        TrainRequested r = (TrainRequested) job.start(1).get(0);
        job.onTrainFailed(new TrainFailed(1, "j1", r.requestId(), 1, "w1", "loss is NaN"), 2);
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.failure()).contains("loss is NaN");
    }

    @Test
    void resumeSendsTheCurrentStageAgainUnlessAWorkerHoldsIt() {
        Job augmenting = Job.submitted("j1", spec(true), 42, INPUT, 0);
        augmenting.start(1);
        assertThat(augmenting.resume(2)).singleElement().isInstanceOf(AugmentRequested.class);

        Job queued = Job.submitted("j2", spec(false), 42, INPUT, 0);
        queued.start(1);
        assertThat(queued.resume(2)).singleElement().isInstanceOf(TrainRequested.class);

        Job held = Job.submitted("j3", spec(false), 42, INPUT, 0);
        TrainRequested r = (TrainRequested) held.start(1).get(0);
        held.onTrainProgress(progress(r, "w1", TrainProgress.Phase.STARTED, 0, 5), 5);
        assertThat(held.resume(1_000)).isEmpty();
        // The holder gets a whole lease from the restart before it is presumed gone.
        assertThat(held.onClock(1_000 + LEASE, LEASE, 3)).isEmpty();
        assertThat(held.onClock(1_000 + LEASE + 1, LEASE, 3)).hasSize(1);
    }

    @Test
    void theRecordSurvivesTheCodec() {
        Job job = Job.submitted("j1", spec(true), 42, INPUT, 0);
        job.start(1);
        Job copy = JsonCodec.decode(JsonCodec.encode(job), Job.class);
        assertThat(copy.state()).isEqualTo(JobState.AUGMENTING);
        assertThat(copy.input()).isEqualTo(INPUT);
        assertThat(copy.history()).hasSize(2);
        assertThat(copy.spec().seed()).isEqualTo(42L);
        assertThat(copy.resume(2)).singleElement().isInstanceOf(AugmentRequested.class);
    }

    @Test
    void cancellingATrainingJobEndsItAndSendsTheCancelForItsRequest() {
        Job job = Job.submitted("j1", spec(false), 42, INPUT, 0);
        TrainRequested r = (TrainRequested) job.start(1).get(0);
        job.onTrainProgress(progress(r, "w1", TrainProgress.Phase.STARTED, 0, 5), 5);
        job.onTrainProgress(progress(r, "w1", TrainProgress.Phase.EPOCH, 1, 6), 6);
        List<Event> out = job.cancel("trial 3 pruned: median pruner", 7);
        assertThat(out).singleElement().isEqualTo(new TrainCancelled(Event.CURRENT_VERSION, "j1", r.requestId(), 1,
                "trial 3 pruned: median pruner"));
        assertThat(job.state()).isEqualTo(JobState.CANCELLED);
        assertThat(job.isTerminal()).isTrue();
        assertThat(job.cancellation()).isEqualTo("trial 3 pruned: median pruner");
        assertThat(job.failure()).isNull();
        assertThat(job.history().get(job.history().size() - 1)).isEqualTo(
                new Job.StateChange(7, JobState.CANCELLED, "cancelled: trial 3 pruned: median pruner"));
        // An ended job is not cancelled again, nor is a completed one.
        assertThat(job.cancel("again", 8)).isEmpty();
        assertThat(job.cancellation()).isEqualTo("trial 3 pruned: median pruner");
        Job done = Job.submitted("j2", spec(false), 42, INPUT, 0);
        TrainRequested d = (TrainRequested) done.start(1).get(0);
        done.onTrainCompleted(new TrainCompleted(1, "j2", d.requestId(), 1, "w1",
                new ObjectRef("b", "m.zip", 3, "dd", null, "zip"), null, Map.of(), 1, "epochs"), 2);
        assertThat(done.cancel("trial 4 pruned", 3)).isEmpty();
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void aQueuedRequestIsCancelledTooButAnAugmentationIsOnlyEnded() {
        Job queued = Job.submitted("j1", spec(false), 42, INPUT, 0);
        queued.start(1);
        // No worker took it yet: the cancel still goes out, for the worker that takes it later to skip it.
        assertThat(queued.cancel("trial 1 failed: out of memory (fold 2)", 2)).singleElement()
                .isInstanceOf(TrainCancelled.class);

        Job augmenting = Job.submitted("j2", spec(true), 42, INPUT, 0);
        AugmentRequested a = (AugmentRequested) augmenting.start(1).get(0);
        assertThat(augmenting.cancel("trial 2 pruned", 2)).isEmpty();
        assertThat(augmenting.state()).isEqualTo(JobState.CANCELLED);
        // The augmentation's answer finds the job ended: no training is requested.
        assertThat(augmenting.onAugmentCompleted(new AugmentCompleted(1, "j2", a.requestId(), 1, "w", INPUT, 5), 3))
                .isEmpty();
        assertThat(augmenting.state()).isEqualTo(JobState.CANCELLED);
        assertThat(augmenting.resume(4)).isEmpty();
    }

    @Test
    void aCancelledJobRecordsLaterReportsOnceAndTakesNone() {
        Job job = Job.submitted("j1", spec(false), 42, INPUT, 0);
        TrainRequested r = (TrainRequested) job.start(1).get(0);
        job.onTrainProgress(progress(r, "w1", TrainProgress.Phase.STARTED, 0, 5), 5);
        job.cancel("trial 3 pruned", 6);
        int lines = job.history().size();
        // The worker had not heard the cancel yet: two more epochs, one line.
        job.onTrainProgress(progress(r, "w1", TrainProgress.Phase.EPOCH, 1, 7), 7);
        job.onTrainProgress(progress(r, "w1", TrainProgress.Phase.EPOCH, 2, 8), 8);
        assertThat(job.progress()).isNull();
        assertThat(job.epochs()).isEmpty();
        assertThat(job.history()).hasSize(lines + 1);
        assertThat(job.history().get(lines).detail())
                .isEqualTo("ignored progress from w1 (attempt 1): the job is CANCELLED");
        // Nothing is requeued however long the worker is silent.
        assertThat(job.onClock(1_000_000, LEASE, 3)).isEmpty();
        // The worker stopped: the record says where.
        job.onTrainFailed(new TrainFailed(1, "j1", r.requestId(), 1, "w1",
                "cancelled after epoch 2 of 3: trial 3 pruned"), 9);
        assertThat(job.state()).isEqualTo(JobState.CANCELLED);
        assertThat(job.failure()).isNull();
        assertThat(job.history().get(lines + 1).detail())
                .isEqualTo("training stopped on w1 (attempt 1): cancelled after epoch 2 of 3: trial 3 pruned");
        // A model that was finished before the cancel arrived is recorded and not taken.
        job.onTrainCompleted(completed(r.requestId(), 1, "w1", "m1.zip"), 10);
        assertThat(job.state()).isEqualTo(JobState.CANCELLED);
        assertThat(job.result()).isNull();
        assertThat(job.history().get(lines + 2).detail())
                .isEqualTo("ignored completion from w1 (attempt 1): the job is CANCELLED");
        assertThat(job.history()).hasSize(lines + 3);
    }

    @Test
    void aRestartCancelsOnceMoreUnlessARunOfTheRequestWasHeardToEnd() {
        Job job = Job.submitted("j1", spec(false), 42, INPUT, 0);
        TrainRequested r = (TrainRequested) job.start(1).get(0);
        job.onTrainProgress(progress(r, "w1", TrainProgress.Phase.STARTED, 0, 5), 5);
        job.cancel("trial 3 pruned", 6);
        // Saved, then the orchestrator died before the cancel reached the broker.
        Job back = JsonCodec.decode(JsonCodec.encode(job), Job.class);
        assertThat(back.state()).isEqualTo(JobState.CANCELLED);
        assertThat(back.resume(7)).singleElement().isEqualTo(new TrainCancelled(Event.CURRENT_VERSION, "j1",
                r.requestId(), 1, "trial 3 pruned"));
        // Once: a cancel that keeps missing is not repeated at every restart.
        assertThat(back.awaitingStop()).isFalse();
        assertThat(back.resume(8)).isEmpty();
        // A heartbeat says nothing about the run's end; its stop does.
        Job other = JsonCodec.decode(JsonCodec.encode(job), Job.class);
        other.onTrainProgress(progress(r, "w1", TrainProgress.Phase.HEARTBEAT, 0, 8), 8);
        assertThat(other.awaitingStop()).isTrue();
        other.onTrainFailed(new TrainFailed(1, "j1", r.requestId(), 1, "w1", "cancelled after epoch 1 of 3: x"), 10);
        assertThat(other.awaitingStop()).isFalse();
        assertThat(other.resume(11)).isEmpty();
        // So does a run that finished before it heard the cancel.
        Job finished = Job.submitted("j2", spec(false), 42, INPUT, 0);
        TrainRequested f = (TrainRequested) finished.start(1).get(0);
        finished.cancel("trial 4 pruned", 2);
        finished.onTrainCompleted(new TrainCompleted(1, "j2", f.requestId(), 1, "w2",
                new ObjectRef("b", "m.zip", 3, "dd", null, "zip"), null, Map.of(), 3, "epochs"), 3);
        assertThat(finished.awaitingStop()).isFalse();
        assertThat(finished.resume(4)).isEmpty();
    }

    private static TrainCompleted completed(String requestId, int attempt, String worker, String modelKey) {
        ObjectRef model = new ObjectRef("b", modelKey, 3, "dd", null, "zip");
        return new TrainCompleted(1, "j1", requestId, attempt, worker, model, model, Map.of("loss", 0.1), 1, "epochs");
    }

    private static TrainProgress progress(TrainRequested r, String worker, TrainProgress.Phase phase, int epoch,
                                          long at) {
        return new TrainProgress(1, r.jobId(), r.requestId(), r.attempt(), worker, phase, epoch, 3,
                Map.of("loss", 0.5), at);
    }
}
