package org.jbia.optimize.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbia.optimize.job.Job;
import org.jbia.optimize.job.JobState;

/**
 * What a study needs to know about one of its jobs, copied while the orchestrator holds the job, so
 * the study never reads a job another thread is changing.
 *
 * @param epochs  the metrics of each epoch reported so far (the full history once the job completed,
 *                when the orchestrator could read it from the report)
 * @param notes   the job's record after its submission: requeues, workers, failures
 */
public record JobView(String id, JobState state, int attempt, String worker, List<Map<String, Double>> epochs,
                      Job.Result result, String failure, List<String> notes) {

    public JobView {
        epochs = List.copyOf(epochs);
        notes = List.copyOf(notes);
    }

    public static JobView of(Job job) {
        List<String> notes = new ArrayList<>();
        List<Job.StateChange> history = job.history();
        for (int i = 1; i < history.size(); i++) {
            notes.add(history.get(i).detail());
        }
        return new JobView(job.id(), job.state(), job.attempt(), job.worker(), job.epochs(), job.result(),
                job.failure(), notes);
    }

    /** The same view with the run's full per-epoch history (read from its report). */
    public JobView withEpochs(List<Map<String, Double>> history) {
        return new JobView(id, state, attempt, worker, history, result, failure, notes);
    }
}
