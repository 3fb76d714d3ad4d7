package org.jbia.optimize.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbia.common.schema.DatasetRefs;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.ObjectRef;
import org.jbia.common.schema.study.DataChanged;
import org.jbia.common.schema.study.ModelPublished;
import org.jbia.common.schema.study.StudySpec;
import org.jbia.optimize.job.Job;
import org.jbia.optimize.job.JobState;
import org.jbia.optimize.search.TrialState;
import org.junit.jupiter.api.Test;

class StudyTest {
    private static final ObjectRef P = ref("p", 20);
    private static final ObjectRef N = ref("n", 200);
    private static final ObjectRef VP = ref("vp", 4);
    private static final ObjectRef VN = ref("vn", 10);
    private static final DatasetRefs DATA = new DatasetRefs(P, N, VP, VN, null, null);

    private static ObjectRef ref(String name, int count) {
        return new ObjectRef("b", "in/" + name + ".npy", 10, name, new int[] {count, 32, 32, 1}, "float32");
    }

    private static StudySpec spec(String optimizeJson) {
        return JsonCodec.decode("{\"name\": \"s\", \"train\": {\"clf\": \"custom_cnn\"}, \"optimize\": " + optimizeJson
                + "}", StudySpec.class);
    }

    /** A study with its plan, driven like the orchestrator drives it. */
    private static final class Driven {
        Study study;
        final StudyPlan plan;
        final List<Study.Launch> launched = new ArrayList<>();
        final List<Object> published = new ArrayList<>();
        final List<Study.Cancel> cancelled = new ArrayList<>();

        Driven(StudySpec spec, List<DatasetRefs> folds) {
            study = Study.create("study-1", spec, 7, 1, folds, 0);
            plan = StudyPlan.of(study.spec(), 1, 7);
            act(study.advance(plan, 1));
        }

        void act(Study.Actions a) {
            launched.addAll(a.launches());
            published.addAll(a.events());
            cancelled.addAll(a.cancels());
        }

        void on(JobView v) {
            act(study.onJob(v, plan, 2));
        }

        List<String> ids() {
            return launched.stream().map(Study.Launch::jobId).toList();
        }

        Study.Trial trial(int n) {
            return study.trials().get(n);
        }
    }

    private static List<Map<String, Double>> epochs(double... losses) {
        List<Map<String, Double>> h = new ArrayList<>();
        for (double l : losses) {
            h.add(Map.of("loss", l, "binary_accuracy", 1 - l, "f1_score", 1 - l, "val_loss", l,
                    "val_binary_accuracy", 1 - l, "val_f1_score", 1 - l));
        }
        return h;
    }

    private static JobView completed(String id, String worker, double... losses) {
        List<Map<String, Double>> h = epochs(losses);
        ObjectRef model = new ObjectRef("b", "jobs/" + id + "/model/bundle.zip", 5, "m" + id, null, "zip");
        Job.Result result = new Job.Result(model, null, h.get(h.size() - 1), h.size(), "epochs", worker);
        return new JobView(id, JobState.COMPLETED, 1, worker, h, result, null, List.of("trained by " + worker));
    }

    private static JobView training(String id, String worker, double... losses) {
        return new JobView(id, JobState.TRAINING, 1, worker, epochs(losses), null, null, List.of());
    }

    private static JobView failed(String id, String failure) {
        return new JobView(id, JobState.FAILED, 3, null, List.of(), null, failure, List.of(failure));
    }

    private static JobView cancelled(String id, String reason) {
        return new JobView(id, JobState.CANCELLED, 1, "w", List.of(), null, null, List.of("cancelled: " + reason));
    }

    @Test
    void atMostNParallelTrialsRunAndEachEndedTrialFreesASlot() {
        Driven d = new Driven(spec("{\"n_iter\": 4, \"n_parallel\": 2, \"train_epochs\": 2, \"epochs\": 3}"),
                List.of(DATA));
        assertThat(d.ids()).containsExactly("study-1-t0", "study-1-t1");
        assertThat(d.study.running()).isEqualTo(2);
        d.on(completed("study-1-t1", "w1", 0.5, 0.3));
        assertThat(d.ids()).containsExactly("study-1-t0", "study-1-t1", "study-1-t2");
        assertThat(d.trial(1).state()).isEqualTo(TrialState.COMPLETE);
        assertThat(d.trial(1).value()).isEqualTo(1 - 0.4);
        assertThat(d.trial(1).workers()).containsExactly("w1");
        d.on(completed("study-1-t0", "w2", 0.4, 0.2));
        d.on(completed("study-1-t2", "w1", 0.6, 0.5));
        assertThat(d.ids()).hasSize(4);
        assertThat(d.study.phase()).isEqualTo(Study.Phase.TUNING);
        d.on(completed("study-1-t3", "w2", 0.9, 0.9));
        assertThat(d.study.finished()).isEqualTo(4);
        assertThat(d.study.best().number()).isEqualTo(0);
        assertThat(d.study.phase()).isEqualTo(Study.Phase.FINAL_FIT);
        Study.Launch last = d.launched.get(d.launched.size() - 1);
        assertThat(last.jobId()).isEqualTo("study-1-final");
        assertThat(last.spec().train().epochs()).isEqualTo(3);
        assertThat(last.spec().train().lr()).isEqualTo(((Number) d.trial(0).params().get("lr")).doubleValue());
        d.on(completed("study-1-final", "w1", 0.3, 0.2, 0.1));
        assertThat(d.study.phase()).isEqualTo(Study.Phase.COMPLETED);
        assertThat(d.study.finalRuns().get(0).model().key()).isEqualTo("jobs/study-1-final/model/bundle.zip");
    }

    @Test
    void aJobReportedTwiceCountsOnce() {
        Driven d = new Driven(spec("{\"n_iter\": 2, \"train_epochs\": 2, \"epochs\": 0}"), List.of(DATA));
        d.on(completed("study-1-t0", "w", 0.5, 0.4));
        d.on(completed("study-1-t0", "w", 0.5, 0.4));
        d.on(completed("study-someone-else-t0", "w", 0.5, 0.4));
        assertThat(d.ids()).containsExactly("study-1-t0", "study-1-t1");
        assertThat(d.study.finished()).isEqualTo(1);
        d.on(completed("study-1-t1", "w", 0.5, 0.4));
        d.on(completed("study-1-t1", "w", 0.5, 0.4));
        assertThat(d.study.trials()).hasSize(2);
        assertThat(d.study.phase()).isEqualTo(Study.Phase.COMPLETED);
        assertThat(d.study.history().get(d.study.history().size() - 1).detail())
                .isEqualTo("2 trials: 2 complete, 0 pruned, 0 failed; best trial 0 scored 0.5500; epochs = 0, so no "
                        + "final fit");
    }

    @Test
    void withoutACompletedTrialTheStudyFailsSayingWhy() {
        Driven d = new Driven(spec("{\"n_iter\": 2, \"n_parallel\": 2, \"train_epochs\": 3, \"patience\": 1}"),
                List.of(DATA));
        d.on(completed("study-1-t0", "w", 0.5, 0.6));
        d.on(failed("study-1-t1", "training failed on w: out of memory"));
        assertThat(d.trial(0).state()).isEqualTo(TrialState.PRUNED);
        assertThat(d.trial(0).reason()).startsWith("early stopping: metric loss did not improve for 1 epochs");
        assertThat(d.trial(1).state()).isEqualTo(TrialState.FAIL);
        assertThat(d.trial(1).reason()).isEqualTo("training failed on w: out of memory");
        assertThat(d.study.phase()).isEqualTo(Study.Phase.FAILED);
        assertThat(d.study.history().get(1).detail()).isEqualTo("2 trials: 0 complete, 1 pruned, 1 failed; no trial "
                + "completed, so there are no best values");
    }

    @Test
    void aTrialWhoseWorkerFellSilentIsLaunchedAgainUpToMaxRetries() {
        Driven d = new Driven(spec("{\"n_iter\": 1, \"train_epochs\": 1, \"epochs\": 0, \"max_retries\": 1}"),
                List.of(DATA));
        String silent = "worker w went silent for 9 s during attempt 3; gave up after 3 attempts";
        d.on(failed("study-1-t0", silent));
        assertThat(d.ids()).containsExactly("study-1-t0", "study-1-t0-r1");
        assertThat(d.trial(0).state()).isEqualTo(TrialState.RUNNING);
        assertThat(d.trial(0).retries()).isEqualTo(1);
        assertThat(d.trial(0).retried()).singleElement().satisfies(r -> assertThat(r.failure()).isEqualTo(silent));
        assertThat(d.launched.get(1).spec()).isEqualTo(d.launched.get(0).spec());
        d.on(failed("study-1-t0-r1", silent));
        assertThat(d.trial(0).state()).isEqualTo(TrialState.FAIL);
        assertThat(d.study.trials()).hasSize(1);
    }

    @Test
    void aRunStoppedByAMonitorIsPrunedAsSoonAsItReportsAndItsSlotIsReused() {
        Driven d = new Driven(spec("{\"n_iter\": 3, \"train_epochs\": 5, \"epochs\": 0, \"monitor1\": \"loss\", "
                + "\"monitor1_thresh\": 0.01}"), List.of(DATA));
        d.on(training("study-1-t0", "w", 0.5, 0.005));
        assertThat(d.trial(0).state()).isEqualTo(TrialState.PRUNED);
        assertThat(d.trial(0).reason()).isEqualTo("monitor1: loss = 0.005000 <= 0.01000 at epoch 2");
        assertThat(d.trial(0).intermediate()).containsOnlyKeys(1, 2);
        assertThat(d.ids()).containsExactly("study-1-t0", "study-1-t1");
        // The pruned trial's job is cancelled, so its worker stops training.
        assertThat(d.cancelled).containsExactly(new Study.Cancel("study-1-t0",
                "trial 0 pruned: monitor1: loss = 0.005000 <= 0.01000 at epoch 2"));
        // Had it finished before hearing the cancel, its completion changes nothing.
        d.on(completed("study-1-t0", "w", 0.5, 0.005, 0.004, 0.003, 0.002));
        assertThat(d.trial(0).state()).isEqualTo(TrialState.PRUNED);
        assertThat(d.ids()).hasSize(2);
        assertThat(d.cancelled).hasSize(1);
    }

    @Test
    void theMedianPrunerStopsATrialWorseThanTheCompletedOnes() {
        Driven d = new Driven(spec("{\"n_iter\": 3, \"train_epochs\": 3, \"epochs\": 0, \"pruner\": \"median\", "
                + "\"pruner_startup_trials\": 1}"), List.of(DATA));
        d.on(completed("study-1-t0", "w", 0.2, 0.1, 0.05));
        d.on(training("study-1-t1", "w", 0.1));
        assertThat(d.trial(1).state()).isEqualTo(TrialState.RUNNING);
        d.on(training("study-1-t1", "w", 0.1, 0.9));
        assertThat(d.trial(1).state()).isEqualTo(TrialState.RUNNING);
        d.on(training("study-1-t1", "w", 0.9, 0.9, 0.9));
        // A new view of the same epochs adds nothing; a trial is only judged on new epochs.
        Driven e = new Driven(spec("{\"n_iter\": 3, \"train_epochs\": 3, \"epochs\": 0, \"pruner\": \"median\", "
                + "\"pruner_startup_trials\": 1}"), List.of(DATA));
        e.on(completed("study-1-t0", "w", 0.2, 0.1, 0.05));
        e.on(training("study-1-t1", "w", 0.95));
        assertThat(e.trial(1).state()).isEqualTo(TrialState.PRUNED);
        assertThat(e.trial(1).reason()).startsWith("median pruner: 0.05000 at epoch 1 is worse than the median");
        assertThat(e.ids()).containsExactly("study-1-t0", "study-1-t1", "study-1-t2");
        assertThat(e.cancelled).singleElement().satisfies(c -> {
            assertThat(c.jobId()).isEqualTo("study-1-t1");
            assertThat(c.reason()).startsWith("trial 1 pruned: median pruner: 0.05000 at epoch 1");
        });
        assertThat(d.cancelled).isEmpty();
    }

    @Test
    void withoutThePrunerNoTrialIsPrunedForBeingBad() {
        Driven d = new Driven(spec("{\"n_iter\": 3, \"train_epochs\": 3, \"epochs\": 0, \"patience\": 0}"),
                List.of(DATA));
        d.on(completed("study-1-t0", "w", 0.2, 0.1, 0.05));
        d.on(training("study-1-t1", "w", 0.95));
        assertThat(d.trial(1).state()).isEqualTo(TrialState.RUNNING);
    }

    @Test
    void eachFoldIsAJobAndTheTrialScoresTheirMean() {
        DatasetRefs fold2 = new DatasetRefs(ref("p2", 20), ref("n2", 200), ref("vp2", 4), ref("vn2", 10), null, null);
        Driven d = new Driven(spec("{\"n_iter\": 1, \"train_epochs\": 2, \"epochs\": 2, \"opt_cv\": 2}"),
                List.of(DATA, fold2));
        assertThat(d.ids()).containsExactly("study-1-t0-f1", "study-1-t0-f2");
        assertThat(d.launched.get(1).data()).isEqualTo(fold2);
        d.on(completed("study-1-t0-f2", "w2", 0.4, 0.2));
        assertThat(d.trial(0).state()).isEqualTo(TrialState.RUNNING);
        d.on(completed("study-1-t0-f1", "w1", 0.6, 0.4));
        assertThat(d.trial(0).value()).isEqualTo(1 - (0.3 + 0.5) / 2);
        assertThat(d.trial(0).workers()).containsExactlyInAnyOrder("w1", "w2");
        assertThat(d.ids()).endsWith("study-1-final-f1", "study-1-final-f2");
        d.on(completed("study-1-final-f1", "w1", 0.1, 0.1));
        d.on(completed("study-1-final-f2", "w2", 0.1, 0.1));
        assertThat(d.study.phase()).isEqualTo(Study.Phase.COMPLETED);
        assertThat(d.study.history().get(d.study.history().size() - 1).detail())
                .isEqualTo("final fit done: 2 fold models (ensemble)");
    }

    @Test
    void aPrunedFoldPrunesItsTrial() {
        DatasetRefs fold2 = new DatasetRefs(ref("p2", 20), ref("n2", 200), ref("vp2", 4), ref("vn2", 10), null, null);
        Driven d = new Driven(spec("{\"n_iter\": 1, \"train_epochs\": 3, \"epochs\": 0, \"opt_cv\": 2}"),
                List.of(DATA, fold2));
        JobView shortRun = completed("study-1-t0-f2", "w", 0.4, 0.5);
        d.on(shortRun);
        assertThat(d.trial(0).state()).isEqualTo(TrialState.PRUNED);
        assertThat(d.trial(0).reason()).isEqualTo("stopped after 2 of 3 epochs (epochs) (fold 2)");
    }

    @Test
    void aPrunedTrialCancelsEachFoldStillTrainingAndNoOther() {
        DatasetRefs fold2 = new DatasetRefs(ref("p2", 20), ref("n2", 200), ref("vp2", 4), ref("vn2", 10), null, null);
        DatasetRefs fold3 = new DatasetRefs(ref("p3", 20), ref("n3", 200), ref("vp3", 4), ref("vn3", 10), null, null);
        Driven d = new Driven(spec("{\"n_iter\": 2, \"train_epochs\": 3, \"epochs\": 0, \"opt_cv\": 3, "
                + "\"monitor1\": \"loss\", \"monitor1_thresh\": 0.01}"), List.of(DATA, fold2, fold3));
        // Fold 3 is done, fold 2 has not reported yet, fold 1 trips the monitor.
        d.on(completed("study-1-t0-f3", "w3", 0.4, 0.3, 0.2));
        d.on(training("study-1-t0-f1", "w1", 0.5, 0.005));
        assertThat(d.trial(0).state()).isEqualTo(TrialState.PRUNED);
        String reason = "trial 0 pruned: monitor1: loss = 0.005000 <= 0.01000 at epoch 2 (fold 1)";
        assertThat(d.cancelled).containsExactly(new Study.Cancel("study-1-t0-f1", reason),
                new Study.Cancel("study-1-t0-f2", reason));
        // The next trial is launched with the cancels; their news (the cancelled jobs) asks for nothing more.
        assertThat(d.ids()).endsWith("study-1-t1-f1", "study-1-t1-f2", "study-1-t1-f3");
        int launched = d.launched.size();
        d.on(cancelled("study-1-t0-f1", reason));
        d.on(cancelled("study-1-t0-f2", reason));
        assertThat(d.cancelled).hasSize(2);
        assertThat(d.launched).hasSize(launched);
        assertThat(d.trial(0).runs()).extracting(Study.Run::state)
                .containsExactly(JobState.CANCELLED, JobState.CANCELLED, JobState.COMPLETED);
        assertThat(d.trial(0).runs().get(0).notes()).containsExactly("cancelled: " + reason);
    }

    @Test
    void aFailedFoldCancelsItsTrialsOtherFolds() {
        DatasetRefs fold2 = new DatasetRefs(ref("p2", 20), ref("n2", 200), ref("vp2", 4), ref("vn2", 10), null, null);
        Driven d = new Driven(spec("{\"n_iter\": 1, \"train_epochs\": 3, \"epochs\": 0, \"opt_cv\": 2}"),
                List.of(DATA, fold2));
        d.on(training("study-1-t0-f1", "w1", 0.5));
        d.on(failed("study-1-t0-f2", "training failed on w2: out of memory"));
        assertThat(d.trial(0).state()).isEqualTo(TrialState.FAIL);
        assertThat(d.cancelled).containsExactly(new Study.Cancel("study-1-t0-f1",
                "trial 0 failed: training failed on w2: out of memory (fold 2)"));
    }

    @Test
    void aFailedFinalFitCancelsItsOtherFolds() {
        DatasetRefs fold2 = new DatasetRefs(ref("p2", 20), ref("n2", 200), ref("vp2", 4), ref("vn2", 10), null, null);
        Driven d = new Driven(spec("{\"n_iter\": 1, \"train_epochs\": 2, \"epochs\": 2, \"opt_cv\": 2}"),
                List.of(DATA, fold2));
        d.on(completed("study-1-t0-f1", "w1", 0.6, 0.4));
        d.on(completed("study-1-t0-f2", "w2", 0.4, 0.2));
        assertThat(d.cancelled).isEmpty();
        d.on(failed("study-1-final-f2", "training failed on w2: out of memory"));
        assertThat(d.study.phase()).isEqualTo(Study.Phase.FAILED);
        assertThat(d.cancelled).containsExactly(new Study.Cancel("study-1-final-f1",
                "final fit failed (fold 2): training failed on w2: out of memory"));
        assertThat(d.study.resume(d.plan, 3).cancels()).extracting(Study.Cancel::jobId)
                .containsExactly("study-1-final-f1");
    }

    @Test
    void aRestartCancelsAgainTheJobsOfEndedTrialsNotYetHeardToEnd() {
        Driven d = new Driven(spec("{\"n_iter\": 2, \"train_epochs\": 5, \"epochs\": 0, \"monitor1\": \"loss\", "
                + "\"monitor1_thresh\": 0.01}"), List.of(DATA));
        d.on(training("study-1-t0", "w", 0.5, 0.005));
        // The orchestrator died after saving the study and before the cancel went out.
        Study back = JsonCodec.decode(JsonCodec.encode(d.study), Study.class);
        d.study = back;
        Study.Actions resumed = back.resume(d.plan, 3);
        assertThat(resumed.cancels()).containsExactlyElementsOf(d.cancelled);
        assertThat(resumed.launches()).extracting(Study.Launch::jobId).containsExactly("study-1-t1");
        d.on(cancelled("study-1-t0", d.cancelled.get(0).reason()));
        assertThat(back.resume(d.plan, 4).cancels()).isEmpty();
    }

    @Test
    void aRestartedStudyLaunchesWhatItWaitsForAndSamplesAsIfItHadNeverStopped() {
        StudySpec s = spec("{\"n_iter\": 6, \"n_parallel\": 2, \"train_epochs\": 1, \"epochs\": 0}");
        Driven straight = new Driven(s, List.of(DATA));
        Driven restarted = new Driven(s, List.of(DATA));
        for (Driven d : List.of(straight, restarted)) {
            d.on(completed("study-1-t0", "w", 0.5));
            d.on(completed("study-1-t1", "w", 0.3));
        }
        // The orchestrator dies with trials 2 and 3 running; the study comes back from its record.
        Study back = JsonCodec.decode(JsonCodec.encode(restarted.study), Study.class);
        restarted.study = back;
        Study.Actions resumed = back.resume(restarted.plan, 3);
        assertThat(resumed.launches()).extracting(Study.Launch::jobId).containsExactly("study-1-t2", "study-1-t3");
        assertThat(resumed.launches()).containsExactlyElementsOf(straight.launched.subList(2, 4));
        restarted.launched.clear();
        for (Driven d : List.of(straight, restarted)) {
            d.on(completed("study-1-t3", "w", 0.2));
            d.on(completed("study-1-t2", "w", 0.7));
        }
        assertThat(restarted.study.trials().get(4).params()).isEqualTo(straight.study.trials().get(4).params());
        assertThat(restarted.study.trials().get(5).params()).isEqualTo(straight.study.trials().get(5).params());
        assertThat(restarted.study.trials()).hasSize(6);
        assertThat(restarted.study.finished()).isEqualTo(4);
    }

    @Test
    void changedDataRetrainsWithTheBestValuesOnceTheSearchEndsAndPublishesTheModel() {
        Driven d = new Driven(spec("{\"n_iter\": 1, \"train_epochs\": 1, \"epochs\": 0}"), List.of(DATA));
        ObjectRef newPositives = ref("p-new", 30);
        DataChanged change = new DataChanged(1, "study-1", "change-1", new DatasetRefs(newPositives, null, null, null,
                null, null), "30 lenses");
        d.act(d.study.onDataChanged(change, 2));
        assertThat(d.ids()).containsExactly("study-1-t0");
        d.on(completed("study-1-t0", "w", 0.5));
        assertThat(d.study.phase()).isEqualTo(Study.Phase.COMPLETED);
        Study.Launch retrain = d.launched.get(d.launched.size() - 1);
        assertThat(retrain.jobId()).isEqualTo("study-1-retrain-1");
        assertThat(retrain.data()).isEqualTo(new DatasetRefs(newPositives, N, VP, VN, null, null));
        assertThat(retrain.spec().train().lr()).isEqualTo(((Number) d.study.best().params().get("lr")).doubleValue());
        d.act(d.study.onDataChanged(change, 3));
        assertThat(d.ids()).hasSize(2);
        d.on(completed("study-1-retrain-1", "w", 0.2));
        assertThat(d.published).singleElement().isInstanceOfSatisfying(ModelPublished.class, m -> {
            assertThat(m.studyId()).isEqualTo("study-1");
            assertThat(m.requestId()).isEqualTo("change-1");
            assertThat(m.model().key()).isEqualTo("jobs/study-1-retrain-1/model/bundle.zip");
        });
        // Until the caller says it published, a restart publishes again.
        assertThat(d.study.resume(d.plan, 4).events()).hasSize(1);
        d.study.markPublished("change-1", 5);
        assertThat(d.study.resume(d.plan, 6).isEmpty()).isTrue();
    }

    @Test
    void changedDataForAFailedStudyIsRecordedAndNotRetrained() {
        Driven d = new Driven(spec("{\"n_iter\": 1, \"train_epochs\": 1}"), List.of(DATA));
        d.on(failed("study-1-t0", "training failed on w: bad"));
        d.act(d.study.onDataChanged(new DataChanged(1, "study-1", "c", null, null), 3));
        assertThat(d.study.retrains()).singleElement().satisfies(r ->
                assertThat(r.outcome()).startsWith("not retrained: the study has no best values"));
        assertThat(d.ids()).containsExactly("study-1-t0");
    }
}
