package org.jbia.optimize.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbia.common.schema.DatasetRefs;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.ObjectRef;
import org.jbia.common.schema.study.StudySpec;
import org.jbia.optimize.job.Job;
import org.jbia.optimize.job.JobState;
import org.jbia.optimize.search.TrialState;
import org.junit.jupiter.api.Test;

class StudyReportTest {
    private static final ObjectRef REF = new ObjectRef("b", "k", 1, "s", new int[] {10, 8, 8, 1}, "float32");

    /** A finished study of {@code n} trials whose score depends on the learning rate only. */
    private static Study study(int n, StudyPlan[] planOut) {
        StudySpec spec = JsonCodec.decode("{\"train\": {\"clf\": \"alexnet\"}, \"optimize\": {\"n_iter\": " + n
                + ", \"train_epochs\": 1, \"epochs\": 0, \"opt_model\": false, \"sampler\": \"random\"}}",
                StudySpec.class);
        Study s = Study.create("study-r", spec, 3, 1, List.of(new DatasetRefs(REF, REF, null, null, null, null)), 0);
        StudyPlan plan = StudyPlan.of(s.spec(), 1, 3);
        planOut[0] = plan;
        List<Study.Launch> queue = new ArrayList<>(s.advance(plan, 0).launches());
        long now = 0;
        while (!queue.isEmpty()) {
            Study.Launch l = queue.remove(0);
            double lr = l.spec().train().lr();
            double loss = lr * 1000;
            Map<String, Double> m = Map.of("loss", loss, "binary_accuracy", 0.5, "f1_score", 0.5);
            JobView v = new JobView(l.jobId(), JobState.COMPLETED, 1, "w" + (l.jobId().hashCode() & 1), List.of(m),
                    new Job.Result(null, null, m, 1, "epochs", "w"), null, List.of());
            if (l.jobId().endsWith("t2")) {
                v = new JobView(l.jobId(), JobState.FAILED, 2, "w", List.of(), null, "training failed on w: boom",
                        List.of("worker w went silent for 9 s during attempt 1; requeued as attempt 2",
                                "training failed on w: boom"));
            }
            queue.addAll(s.onJob(v, plan, now += 500).launches());
        }
        return s;
    }

    @Test
    void theTableHasOneRowPerTrialWithTheBestSoFar() {
        StudyPlan[] plan = new StudyPlan[1];
        Study s = study(12, plan);
        List<StudyReport.TrialRow> rows = StudyReport.trials(s);
        assertThat(rows).hasSize(12);
        Double best = null;
        for (StudyReport.TrialRow r : rows) {
            if (r.state() == TrialState.COMPLETE) {
                best = best == null ? r.value() : Math.max(best, r.value());
            }
            assertThat(r.bestSoFar()).isEqualTo(best);
        }
        StudyReport.TrialRow failed = rows.get(2);
        assertThat(failed.state()).isEqualTo(TrialState.FAIL);
        assertThat(failed.reason()).isEqualTo("training failed on w: boom");
        assertThat(failed.notes()).containsExactly(
                "study-r-t2: worker w went silent for 9 s during attempt 1; requeued as attempt 2",
                "study-r-t2: training failed on w: boom");
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(rows.get(0).durationSeconds()).isEqualTo(0.5);
        assertThat(rows.get(0).params()).containsKeys("lr", "optimizer", "batch_size");
    }

    @Test
    void theCsvHasAColumnPerParameterAndMetric() {
        StudyPlan[] plan = new StudyPlan[1];
        Study s = study(5, plan);
        String[] lines = StudyReport.csv(s).split("\n");
        assertThat(lines).hasSize(6);
        assertThat(lines[0]).startsWith("number,state,value,best_so_far,reason,duration_s,workers,attempts,retries,"
                + "epochs_run,jobs,params_amsgrad,params_batch_size,").contains(",params_lr,", ",params_optimizer,")
                .endsWith(",metrics_binary_accuracy,metrics_f1_score,metrics_loss");
        List<String> header = List.of(lines[0].split(","));
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            assertThat(cells).hasSize(header.size());
            assertThat(cells[0]).isEqualTo(Integer.toString(i - 1));
        }
        assertThat(lines[3]).contains(",FAIL,,").contains("training failed on w: boom");
    }

    @Test
    void theImportancesNameTheParameterThatDecidesTheScore() {
        StudyPlan[] plan = new StudyPlan[1];
        Study s = study(40, plan);
        Map<String, Double> importances = StudyReport.importances(s, plan[0]);
        assertThat(importances.keySet().iterator().next()).isEqualTo("lr");
        assertThat(importances.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-9));
        StudyReport.Summary summary = StudyReport.summary(s, plan[0]);
        assertThat(summary.finished()).isEqualTo(40);
        assertThat(summary.failed()).isEqualTo(1);
        assertThat(summary.complete()).isEqualTo(39);
        assertThat(summary.best().value()).isEqualTo(StudyReport.trials(s).get(39).bestSoFar());
        assertThat(JsonCodec.encode(summary)).contains("\"phase\":\"COMPLETED\"").contains("\"n_iter\":40");
    }
}
