package org.jbia.optimize.study;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.jbia.common.schema.ObjectRef;
import org.jbia.common.schema.study.StudySpec;
import org.jbia.optimize.search.ParamImportance;
import org.jbia.optimize.search.TrialState;

/**
 * What a study has to show: the trials table (JSON rows, or CSV with one column per parameter and
 * metric, as Optuna's trials_dataframe), the best values, the optimisation history (each trial's
 * value and the best so far) and the parameter importances ({@link ParamImportance}).
 */
public final class StudyReport {

    /** One row of the trials table. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TrialRow(int number, TrialState state, Double value, Double bestSoFar, String reason,
                           long startedAt, Long endedAt, Double durationSeconds, List<String> workers, int attempts, int retries, Integer epochsRun,
                           List<String> jobs, Map<String, Object> params, Map<String, Double> metrics,
                           List<String> notes) {
    }

    /** The study at a glance. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(String id, String name, Study.Phase phase, long seed, int nIter, long finished,
                          long complete, long pruned, long failed, long running, Study.Best best,
                          List<ObjectRef> models, Map<String, Double> importances, List<Study.StateChange> history,
                          List<Map<String, Object>> retrains, StudySpec spec, long createdAt, long updatedAt) {
    }

    private StudyReport() {
    }

    public static Summary summary(Study study, StudyPlan plan) {
        List<ObjectRef> models = new ArrayList<>();
        for (Study.Run run : study.finalRuns()) {
            if (run.model() != null) {
                models.add(run.model());
            }
        }
        List<Map<String, Object>> retrains = new ArrayList<>();
        for (Study.Retrain r : study.retrains()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("request", r.request());
            m.put("job", r.run() == null ? null : r.run().job());
            m.put("state", r.run() == null ? "PENDING" : r.run().state());
            m.put("outcome", r.outcome());
            m.put("model", r.run() == null ? null : r.run().model());
            m.put("published", r.published());
            retrains.add(m);
        }
        return new Summary(study.id(), study.spec().name(), study.phase(), study.seed(), study.spec().optimize().nIter(),
                study.finished(), count(study, TrialState.COMPLETE), count(study, TrialState.PRUNED),
                count(study, TrialState.FAIL), study.running(), study.best(), models, importances(study, plan),
                study.history(), retrains, study.spec(), study.createdAt(), study.updatedAt());
    }

    private static long count(Study study, TrialState state) {
        return study.trials().stream().filter(t -> t.state() == state).count();
    }

    /** Importance of each sampled parameter over the completed trials, most important first. */
    public static Map<String, Double> importances(Study study, StudyPlan plan) {
        if (plan.space().space().params().isEmpty()) {
            return Map.of();
        }
        return ParamImportance.estimate(plan.space().space(), study.trialRecords(plan));
    }

    /** The trials table, in trial order, with the best value so far (maximised) on each row. */
    public static List<TrialRow> trials(Study study) {
        List<TrialRow> rows = new ArrayList<>();
        Double bestSoFar = null;
        for (Study.Trial t : study.trials()) {
            if (t.state() == TrialState.COMPLETE && (bestSoFar == null || t.value() > bestSoFar)) {
                bestSoFar = t.value();
            }
            int attempts = 0;
            Integer epochsRun = null;
            List<String> jobs = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            List<Study.Run> all = new ArrayList<>(t.retried());
            all.addAll(t.runs());
            for (Study.Run r : all) {
                attempts = Math.max(attempts, r.attempt());
                jobs.add(r.job());
                if (r.fold() == 0 && r.epochsRun() != null) {
                    epochsRun = r.epochsRun();
                }
                for (String note : r.notes()) {
                    if (note.contains("requeued") || note.contains("went silent") || note.contains("failed")) {
                        notes.add(r.job() + ": " + note);
                    }
                }
            }
            Double duration = t.endedAt() == null ? null : (t.endedAt() - t.startedAt()) / 1000.0;
            rows.add(new TrialRow(t.number(), t.state(), t.value(), bestSoFar, t.reason(), t.startedAt(), t.endedAt(),
                    duration, t.workers(),
                    attempts, t.retries(), epochsRun, jobs, t.params(), t.metrics(), notes));
        }
        return rows;
    }

    /** The trials table as CSV: fixed columns, then params_NAME and metrics_NAME columns in name order. */
    public static String csv(Study study) {
        List<TrialRow> rows = trials(study);
        TreeSet<String> params = new TreeSet<>();
        TreeSet<String> metrics = new TreeSet<>();
        for (TrialRow r : rows) {
            params.addAll(r.params().keySet());
            metrics.addAll(r.metrics().keySet());
        }
        StringBuilder out = new StringBuilder("number,state,value,best_so_far,reason,duration_s,workers,attempts,"
                + "retries,epochs_run,jobs");
        params.forEach(p -> out.append(",params_").append(p));
        metrics.forEach(m -> out.append(",metrics_").append(m));
        out.append('\n');
        for (TrialRow r : rows) {
            out.append(r.number()).append(',').append(r.state()).append(',').append(number(r.value())).append(',')
                    .append(number(r.bestSoFar())).append(',').append(quote(r.reason())).append(',')
                    .append(number(r.durationSeconds())).append(',').append(quote(String.join(" ", r.workers())))
                    .append(',').append(r.attempts()).append(',').append(r.retries()).append(',')
                    .append(r.epochsRun() == null ? "" : r.epochsRun()).append(',')
                    .append(quote(String.join(" ", r.jobs())));
            for (String p : params) {
                Object v = r.params().get(p);
                out.append(',').append(v == null ? "" : v instanceof Number ? String.valueOf(v) : quote(String.valueOf(v)));
            }
            for (String m : metrics) {
                out.append(',').append(number(r.metrics().get(m)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String number(Double v) {
        if (v == null) {
            return "";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }

    private static String quote(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
