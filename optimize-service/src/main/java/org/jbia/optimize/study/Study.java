package org.jbia.optimize.study;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jbia.common.schema.DatasetRefs;
import org.jbia.common.schema.Event;
import org.jbia.common.schema.JobSpec;
import org.jbia.common.schema.ObjectRef;
import org.jbia.common.schema.study.DataChanged;
import org.jbia.common.schema.study.ModelPublished;
import org.jbia.common.schema.study.OptimizeSpec;
import org.jbia.common.schema.study.StudySpec;
import org.jbia.optimize.job.JobState;
import org.jbia.optimize.search.TrialRecord;
import org.jbia.optimize.search.TrialState;

/**
 * A study and its life: n_iter trials, at most n_parallel in flight, each one job per fold; then the
 * final fit with the best values (one model per fold with opt_cv, an ensemble); then retraining
 * whenever its data change. Each method takes one fact (a job's news, the clock, a data change) and
 * returns what to do because of it: jobs to launch, jobs to cancel (the folds still training when
 * their trial is pruned or fails), events to publish. Pure: no Kafka, no store. The
 * caller saves the study before acting, so a crash in between is repaired by {@link #resume}: job ids
 * are fixed by the study (id-t3-f2), launching twice launches once, and a trial is counted when its
 * outcome is recorded, once.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class Study {

    /** Where the study stands. COMPLETED and FAILED are terminal for the search; retraining goes on. */
    public enum Phase { TUNING, FINAL_FIT, COMPLETED, FAILED }

    /** One line of the study's record. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StateChange(long atMillis, Phase phase, String detail) {
    }

    /** A job to create (if no job of that id exists yet) with these data. */
    public record Launch(String jobId, JobSpec spec, long seed, DatasetRefs data, Integer negativeLimit) {
    }

    /** A job whose result is no longer needed: the caller cancels it, which stops its training. */
    public record Cancel(String jobId, String reason) {
    }

    /** What the caller does after saving the study: cancel jobs, launch jobs, then publish events. */
    public record Actions(List<Launch> launches, List<Event> events, List<Cancel> cancels) {
        public Actions(List<Launch> launches, List<Event> events) {
            this(launches, events, List.of());
        }

        public static Actions none() {
            return new Actions(List.of(), List.of());
        }

        public Actions plus(Actions other) {
            List<Launch> l = new ArrayList<>(launches);
            l.addAll(other.launches);
            List<Event> e = new ArrayList<>(events);
            e.addAll(other.events);
            List<Cancel> c = new ArrayList<>(cancels);
            c.addAll(other.cancels);
            return new Actions(l, e, c);
        }

        public boolean isEmpty() {
            return launches.isEmpty() && events.isEmpty() && cancels.isEmpty();
        }
    }

    /** The best trial so far. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Best(int number, double value, Map<String, Object> params) {
    }

    /** One job of the study: a fold of a trial, of the final fit, or a retraining. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
            isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    public static final class Run {
        private String job;
        private int fold;
        private int retry;
        private JobState state;
        private String worker;
        private List<String> workers = new ArrayList<>();
        private int attempt;
        private int epochsDone;
        private Integer epochsRun;
        private String stopReason;
        private Map<String, Double> metrics;
        private ObjectRef model;
        private ObjectRef report;
        private String failure;
        private List<String> notes = new ArrayList<>();
        /** The per-epoch metrics of a completed fold, kept until its trial is scored. */
        private List<Map<String, Double>> history;

        private Run() {
            // for the JSON codec
        }

        Run(String job, int fold, int retry) {
            this.job = job;
            this.fold = fold;
            this.retry = retry;
            this.state = JobState.SUBMITTED;
        }

        /** Takes what the job reports; returns true when it just reached a terminal state. */
        boolean update(JobView v) {
            boolean wasTerminal = state.isTerminal();
            state = v.state();
            attempt = v.attempt();
            if (v.worker() != null) {
                worker = v.worker();
                if (!workers.contains(v.worker())) {
                    workers.add(v.worker());
                }
            }
            epochsDone = Math.max(epochsDone, v.epochs().size());
            // The job's record minus what the study holds anyway (its data, its request).
            notes = new ArrayList<>(v.notes().stream().filter(n -> !n.startsWith("augmented by")
                    && !n.startsWith("training requested")).toList());
            if (v.result() != null) {
                epochsRun = v.result().epochsRun();
                stopReason = v.result().stopReason();
                metrics = new LinkedHashMap<>(v.result().metrics());
                model = v.result().model();
                report = v.result().report();
                if (v.result().worker() != null) {
                    worker = v.result().worker();
                    if (!workers.contains(worker)) {
                        workers.add(worker);
                    }
                }
            }
            failure = v.failure();
            return !wasTerminal && state.isTerminal();
        }

        public String job() {
            return job;
        }

        public int fold() {
            return fold;
        }

        public JobState state() {
            return state;
        }

        public String worker() {
            return worker;
        }

        public List<String> workers() {
            return List.copyOf(workers);
        }

        public int attempt() {
            return attempt;
        }

        public Integer epochsRun() {
            return epochsRun;
        }

        public String stopReason() {
            return stopReason;
        }

        public Map<String, Double> metrics() {
            return metrics == null ? Map.of() : Map.copyOf(metrics);
        }

        public ObjectRef model() {
            return model;
        }

        public ObjectRef report() {
            return report;
        }

        public String failure() {
            return failure;
        }

        public List<String> notes() {
            return List.copyOf(notes);
        }
    }

    /** One trial: its values, its jobs (one per fold) and its outcome. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
            isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    public static final class Trial {
        private int number;
        private TrialState state;
        private Map<String, Object> params;
        private Double value;
        private String reason;
        private List<Run> runs = new ArrayList<>();
        /** Jobs given up on (their worker fell silent past every lease) and launched again as a new job. */
        private List<Run> retried = new ArrayList<>();
        private SortedMap<Integer, Double> intermediate = new TreeMap<>();
        private int retries;
        private long startedAt;
        private Long endedAt;
        private Map<String, Double> metrics;

        private Trial() {
            // for the JSON codec
        }

        Trial(int number, Map<String, Object> params, long now) {
            this.number = number;
            this.state = TrialState.RUNNING;
            this.params = new LinkedHashMap<>(params);
            this.startedAt = now;
        }

        public int number() {
            return number;
        }

        public TrialState state() {
            return state;
        }

        public Map<String, Object> params() {
            return java.util.Collections.unmodifiableMap(params);
        }

        public Double value() {
            return value;
        }

        public String reason() {
            return reason;
        }

        public List<Run> runs() {
            return List.copyOf(runs);
        }

        public List<Run> retried() {
            return List.copyOf(retried);
        }

        public SortedMap<Integer, Double> intermediate() {
            return java.util.Collections.unmodifiableSortedMap(intermediate);
        }

        public int retries() {
            return retries;
        }

        public long startedAt() {
            return startedAt;
        }

        public Long endedAt() {
            return endedAt;
        }

        public Map<String, Double> metrics() {
            return metrics == null ? Map.of() : Map.copyOf(metrics);
        }

        /** The workers that ran this trial's jobs. */
        public List<String> workers() {
            List<String> out = new ArrayList<>();
            List<Run> all = new ArrayList<>(retried);
            all.addAll(runs);
            for (Run r : all) {
                for (String w : r.workers) {
                    if (!out.contains(w)) {
                        out.add(w);
                    }
                }
            }
            return out;
        }

        boolean isRunning() {
            return state == TrialState.RUNNING;
        }
    }

    /** A retraining on changed data, pyBIA's create() again with the best values. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
            isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    public static final class Retrain {
        private String request;
        private String reason;
        private DatasetRefs data;
        private Run run;
        private String outcome;
        private boolean published;
        private long receivedAt;

        private Retrain() {
            // for the JSON codec
        }

        public String request() {
            return request;
        }

        public Run run() {
            return run;
        }

        public String outcome() {
            return outcome;
        }

        public boolean published() {
            return published;
        }
    }

    private String id;
    private StudySpec spec;
    private long seed;
    private int bands;
    private List<DatasetRefs> folds = new ArrayList<>();
    private boolean hasTest;
    private Phase phase;
    private List<Trial> trials = new ArrayList<>();
    private Best best;
    private List<Run> finalRuns = new ArrayList<>();
    private int finalRetries;
    private List<Retrain> retrains = new ArrayList<>();
    private List<StateChange> history = new ArrayList<>();
    private long createdAt;
    private long updatedAt;
    @JsonIgnore
    private final Set<Integer> changedTrials = new HashSet<>();

    private Study() {
        // for the JSON codec
    }

    /**
     * A new study on {@code folds}: the data of each fold (one entry without opt_cv), the first being
     * the data as given.
     */
    public static Study create(String id, StudySpec spec, long seed, int bands, List<DatasetRefs> folds, long now) {
        Study s = new Study();
        s.id = id;
        s.spec = spec.withSeed(seed);
        s.seed = seed;
        s.bands = bands;
        s.folds = new ArrayList<>(folds);
        DatasetRefs first = folds.get(0);
        s.hasTest = first.testPositive() != null || first.testNegative() != null;
        s.createdAt = now;
        s.move(Phase.TUNING, now, "accepted: " + spec.optimize().nIter() + " trials, " + spec.optimize().nParallel()
                + " at a time, " + folds.size() + (folds.size() == 1 ? " fold" : " folds") + ", seed " + seed);
        return s;
    }

    // --- facts ---

    /** Launches trials while slots are free and trials remain; ends the search when all have ended. */
    public Actions advance(StudyPlan plan, long now) {
        if (phase != Phase.TUNING) {
            return Actions.none();
        }
        OptimizeSpec o = spec.optimize();
        List<Launch> launches = new ArrayList<>();
        long running = trials.stream().filter(Trial::isRunning).count();
        while (running < o.nParallel() && trials.size() < o.nIter()) {
            int number = trials.size();
            Map<String, Object> sampled = plan.sampler().sample(plan.space().space(), trialRecords(plan), number);
            Trial trial = new Trial(number, plan.space().complete(sampled), now);
            for (int fold = 0; fold < folds.size(); fold++) {
                Run run = new Run(trialJobId(number, fold, 0), fold, 0);
                trial.runs.add(run);
                launches.add(trialLaunch(trial, run));
            }
            trials.add(trial);
            changedTrials.add(number);
            running++;
            updatedAt = now;
        }
        if (running == 0 && trials.size() >= o.nIter()) {
            return new Actions(launches, List.of()).plus(finishTuning(now));
        }
        return new Actions(launches, List.of());
    }

    /** News of one of the study's jobs: progress, completion or failure. */
    public Actions onJob(JobView v, StudyPlan plan, long now) {
        for (Trial trial : trials) {
            for (Run run : trial.runs) {
                if (run.job.equals(v.id())) {
                    return onTrialJob(trial, run, v, plan, now);
                }
            }
        }
        for (Run run : finalRuns) {
            if (run.job.equals(v.id())) {
                return onFinalJob(run, v, now);
            }
        }
        for (Retrain r : retrains) {
            if (r.run != null && r.run.job.equals(v.id())) {
                return onRetrainJob(r, v, now);
            }
        }
        return Actions.none();
    }

    /**
     * After a restart: every job the study waits for is launched again (a job that exists is left as
     * it is), the jobs of ended trials not yet heard to end are cancelled again (an ended job is left
     * as it is), events not yet published go out, then free slots are filled.
     */
    public Actions resume(StudyPlan plan, long now) {
        List<Launch> launches = new ArrayList<>();
        List<Cancel> cancels = new ArrayList<>();
        for (Trial trial : trials) {
            if (trial.isRunning()) {
                for (Run run : trial.runs) {
                    if (!run.state.isTerminal()) {
                        launches.add(trialLaunch(trial, run));
                    }
                }
            } else {
                cancels.addAll(cancelsOf(trial));
            }
        }
        if (phase == Phase.FAILED) {
            cancels.addAll(cancelsOf(finalRuns, "the final fit failed"));
        }
        if (phase == Phase.FINAL_FIT) {
            for (Run run : finalRuns) {
                if (!run.state.isTerminal()) {
                    launches.add(finalLaunch(run));
                }
            }
        }
        List<Event> events = new ArrayList<>();
        for (Retrain r : retrains) {
            if (r.run != null && !r.run.state.isTerminal()) {
                launches.add(retrainLaunch(r));
            }
            if (r.run != null && r.run.state == JobState.COMPLETED && !r.published) {
                events.add(published(r));
            }
        }
        Actions pending = phase == Phase.COMPLETED ? launchPendingRetrains(now) : Actions.none();
        return new Actions(launches, events, cancels).plus(pending).plus(advance(plan, now));
    }

    /** New or changed data: retrain with the best values now, or once the search has ended. */
    public Actions onDataChanged(DataChanged e, long now) {
        for (Retrain r : retrains) {
            if (r.request.equals(e.requestId())) {
                return Actions.none();
            }
        }
        Retrain r = new Retrain();
        r.request = e.requestId();
        r.reason = e.reason();
        r.receivedAt = now;
        DatasetRefs base = folds.get(0);
        DatasetRefs given = e.data() == null ? new DatasetRefs(null, null, null, null, null, null) : e.data();
        r.data = new DatasetRefs(or(given.positive(), base.positive()), or(given.negative(), base.negative()),
                or(given.valPositive(), base.valPositive()), or(given.valNegative(), base.valNegative()),
                or(given.testPositive(), base.testPositive()), or(given.testNegative(), base.testNegative()));
        retrains.add(r);
        updatedAt = now;
        note(now, "data changed (" + e.requestId() + (e.reason() != null ? ": " + e.reason() : "") + ")"
                + (phase == Phase.COMPLETED ? "; retraining" : "; retraining once the search ends"));
        return switch (phase) {
            case COMPLETED -> launchPendingRetrains(now);
            case FAILED -> {
                r.outcome = "not retrained: the study has no best values (" + lastDetail() + ")";
                yield Actions.none();
            }
            default -> Actions.none();
        };
    }

    /** The caller published the model of retraining {@code request}. */
    public void markPublished(String request, long now) {
        for (Retrain r : retrains) {
            if (r.request.equals(request)) {
                r.published = true;
                updatedAt = now;
            }
        }
    }

    // --- trials ---

    private Actions onTrialJob(Trial trial, Run run, JobView v, StudyPlan plan, long now) {
        boolean ended = run.update(v);
        changedTrials.add(trial.number);
        updatedAt = now;
        if (!trial.isRunning()) {
            // A pruned or failed trial's other folds (being cancelled) may still report; their news is kept.
            return Actions.none();
        }
        OptimizeSpec o = spec.optimize();
        if (!ended) {
            if (v.state() == JobState.TRAINING && !v.epochs().isEmpty()) {
                if (run.fold == 0) {
                    boolean newEpoch = false;
                    for (int e = 1; e <= v.epochs().size() && !v.epochs().get(e - 1).isEmpty(); e++) {
                        if (!trial.intermediate.containsKey(e)) {
                            trial.intermediate.put(e, Scoring.intermediate(o, v.epochs().subList(0, e)));
                            newEpoch = true;
                        }
                    }
                    if (newEpoch && plan.pruner().shouldPrune(record(trial, plan), trialRecords(plan))) {
                        int step = trial.intermediate.lastKey();
                        return end(trial, Scoring.Outcome.pruned("median pruner: " + StoppingRules.format(
                                trial.intermediate.get(step)) + " at epoch " + step
                                + " is worse than the median of the completed trials there"), now)
                                .plus(advance(plan, now));
                    }
                }
                StoppingRules.Stop stop = StoppingRules.firstStop(o, v.epochs(), o.trainEpochs());
                if (stop != null) {
                    return end(trial, Scoring.Outcome.pruned(stop.reason() + foldText(run)), now)
                            .plus(advance(plan, now));
                }
            }
            return Actions.none();
        }
        if (v.state() == JobState.FAILED) {
            if (isSilence(v.failure()) && trial.retries < o.maxRetries()) {
                trial.retries++;
                Run again = new Run(trialJobId(trial.number, run.fold, trial.retries), run.fold, trial.retries);
                trial.runs.set(trial.runs.indexOf(run), again);
                trial.retried.add(run);
                return new Actions(List.of(trialLaunch(trial, again)), List.of());
            }
            return end(trial, Scoring.Outcome.failed(v.failure() + foldText(run)), now)
                    .plus(advance(plan, now));
        }
        Scoring.FoldResult fold = foldResult(run, v);
        if (run.fold == 0) {
            for (int e = 1; e <= fold.history().size() && !fold.history().get(e - 1).isEmpty(); e++) {
                trial.intermediate.putIfAbsent(e, Scoring.intermediate(o, fold.history().subList(0, e)));
            }
        }
        Scoring.Outcome bad = Scoring.checkFold(o, fold, hasTest, folds.size() > 1 ? run.fold + 1 : 0);
        if (bad != null) {
            return end(trial, bad, now).plus(advance(plan, now));
        }
        if (trial.runs.stream().allMatch(r -> r.state == JobState.COMPLETED)) {
            List<Scoring.FoldResult> results = new ArrayList<>();
            for (Run r : trial.runs) {
                results.add(new Scoring.FoldResult(r.history == null ? List.of() : r.history,
                        r.epochsRun == null ? 0 : r.epochsRun, r.stopReason, r.metrics()));
            }
            return end(trial, Scoring.score(o, results, hasTest), now).plus(advance(plan, now));
        }
        return Actions.none();
    }

    private static Scoring.FoldResult foldResult(Run run, JobView v) {
        List<Map<String, Double>> history = v.epochs();
        run.history = new ArrayList<>(history);
        int epochsRun = run.epochsRun == null ? history.size() : run.epochsRun;
        return new Scoring.FoldResult(history, epochsRun, run.stopReason, run.metrics());
    }

    /** Records the trial's outcome; returns the cancels of its folds still training, whose results are not needed. */
    private Actions end(Trial trial, Scoring.Outcome outcome, long now) {
        trial.state = outcome.state();
        trial.value = outcome.value();
        trial.reason = outcome.reason();
        trial.endedAt = now;
        trial.metrics = meanMetrics(trial.runs);
        // Histories were kept only to score the trial; the jobs' reports hold them for good.
        trial.runs.forEach(r -> r.history = null);
        changedTrials.add(trial.number);
        updatedAt = now;
        if (outcome.state() == TrialState.COMPLETE && (best == null || outcome.value() > best.value())) {
            best = new Best(trial.number, outcome.value(), trial.params);
        }
        return new Actions(List.of(), List.of(), cancelsOf(trial));
    }

    private static List<Cancel> cancelsOf(Trial trial) {
        String ended = trial.state == TrialState.PRUNED ? "pruned" : trial.state == TrialState.FAIL ? "failed"
                : "ended";
        return cancelsOf(trial.runs, "trial " + trial.number + " " + ended + ": " + trial.reason);
    }

    /** The runs not yet known to have ended, to cancel with {@code reason}. */
    private static List<Cancel> cancelsOf(List<Run> runs, String reason) {
        return runs.stream().filter(r -> !r.state.isTerminal()).map(r -> new Cancel(r.job, reason)).toList();
    }

    private static Map<String, Double> meanMetrics(List<Run> runs) {
        Map<String, Double> sum = new TreeMap<>();
        Map<String, Integer> count = new TreeMap<>();
        for (Run r : runs) {
            r.metrics().forEach((k, v) -> {
                sum.merge(k, v, Double::sum);
                count.merge(k, 1, Integer::sum);
            });
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        sum.forEach((k, v) -> mean.put(k, v / count.get(k)));
        return mean;
    }

    private Launch trialLaunch(Trial trial, Run run) {
        DatasetRefs data = folds.get(run.fold);
        String name = name() + " trial " + trial.number + (folds.size() > 1 ? " fold " + (run.fold + 1) : "");
        JobSpec job = TrialSpecs.trial(spec, trial.params, name);
        return new Launch(run.job, job, jobSeed(trial.number, run.fold), data, TrialSpecs.negativeLimit(spec,
                trial.params, count(data.positive()), count(data.negative())));
    }

    // --- final fit ---

    private Actions finishTuning(long now) {
        long complete = trials.stream().filter(t -> t.state == TrialState.COMPLETE).count();
        long pruned = trials.stream().filter(t -> t.state == TrialState.PRUNED).count();
        long failed = trials.stream().filter(t -> t.state == TrialState.FAIL).count();
        String tally = trials.size() + " trials: " + complete + " complete, " + pruned + " pruned, " + failed + " failed";
        if (best == null) {
            move(Phase.FAILED, now, tally + "; no trial completed, so there are no best values");
            return Actions.none();
        }
        String bestText = "best trial " + best.number() + " scored " + StoppingRules.format(best.value());
        if (spec.optimize().epochs() == 0) {
            move(Phase.COMPLETED, now, tally + "; " + bestText + "; epochs = 0, so no final fit");
            return launchPendingRetrains(now);
        }
        List<Launch> launches = new ArrayList<>();
        for (int fold = 0; fold < folds.size(); fold++) {
            Run run = new Run(finalJobId(fold, 0), fold, 0);
            finalRuns.add(run);
            launches.add(finalLaunch(run));
        }
        move(Phase.FINAL_FIT, now, tally + "; " + bestText + "; final fit for " + spec.optimize().epochs() + " epochs"
                + (folds.size() > 1 ? " on each of " + folds.size() + " folds (an ensemble)" : ""));
        return new Actions(launches, List.of());
    }

    private Actions onFinalJob(Run run, JobView v, long now) {
        boolean ended = run.update(v);
        updatedAt = now;
        if (!ended || phase != Phase.FINAL_FIT) {
            return Actions.none();
        }
        if (v.state() == JobState.FAILED) {
            if (isSilence(v.failure()) && finalRetries < spec.optimize().maxRetries()) {
                finalRetries++;
                Run again = new Run(finalJobId(run.fold, finalRetries), run.fold, finalRetries);
                finalRuns.set(finalRuns.indexOf(run), again);
                return new Actions(List.of(finalLaunch(again)), List.of());
            }
            move(Phase.FAILED, now, "final fit failed" + foldText(run) + ": " + v.failure());
            // Without every fold there is no ensemble: the other folds' training is waste.
            return new Actions(List.of(), List.of(), cancelsOf(finalRuns, lastDetail()));
        }
        if (finalRuns.stream().allMatch(r -> r.state == JobState.COMPLETED)) {
            move(Phase.COMPLETED, now, "final fit done: " + (finalRuns.size() == 1 ? "model " + finalRuns.get(0).model
                    : finalRuns.size() + " fold models (ensemble)"));
            return launchPendingRetrains(now);
        }
        return Actions.none();
    }

    private Launch finalLaunch(Run run) {
        DatasetRefs data = folds.get(run.fold);
        JobSpec job = TrialSpecs.finalFit(spec, best.params(), name() + " final fit"
                + (folds.size() > 1 ? " fold " + (run.fold + 1) : ""));
        return new Launch(run.job, job, jobSeed(-1, run.fold), data, TrialSpecs.negativeLimit(spec, best.params(),
                count(data.positive()), count(data.negative())));
    }

    // --- retraining ---

    private Actions launchPendingRetrains(long now) {
        List<Launch> launches = new ArrayList<>();
        for (int i = 0; i < retrains.size(); i++) {
            Retrain r = retrains.get(i);
            if (r.run == null && r.outcome == null) {
                r.run = new Run(id + "-retrain-" + (i + 1), 0, 0);
                launches.add(retrainLaunch(r));
                updatedAt = now;
            }
        }
        return new Actions(launches, List.of());
    }

    private Actions onRetrainJob(Retrain r, JobView v, long now) {
        boolean ended = r.run.update(v);
        updatedAt = now;
        if (!ended) {
            return Actions.none();
        }
        if (v.state() == JobState.FAILED) {
            r.outcome = "retraining failed: " + v.failure();
            note(now, r.outcome + " (" + r.request + ")");
            return Actions.none();
        }
        r.outcome = "retrained: model " + r.run.model;
        note(now, "retrained on changed data (" + r.request + "): model " + r.run.model);
        return new Actions(List.of(), List.of(published(r)));
    }

    private Launch retrainLaunch(Retrain r) {
        JobSpec job = TrialSpecs.finalFit(spec, best.params(), name() + " retraining " + r.request);
        return new Launch(r.run.job, job, jobSeed(-2 - retrains.indexOf(r), 0), r.data, TrialSpecs.negativeLimit(spec,
                best.params(), count(r.data.positive()), count(r.data.negative())));
    }

    private ModelPublished published(Retrain r) {
        return new ModelPublished(Event.CURRENT_VERSION, id, r.request, r.run.job, r.run.model, r.run.report, r.data,
                r.run.metrics());
    }

    // --- the sampler's view ---

    /** Every trial as the sampler and pruner see it: only the sampled values, not the fixed ones. */
    public List<TrialRecord> trialRecords(StudyPlan plan) {
        List<TrialRecord> records = new ArrayList<>(trials.size());
        for (Trial t : trials) {
            records.add(record(t, plan));
        }
        return records;
    }

    private static TrialRecord record(Trial t, StudyPlan plan) {
        Map<String, Object> sampled = new LinkedHashMap<>();
        t.params.forEach((k, v) -> {
            if (plan.space().space().param(k) != null) {
                sampled.put(k, v);
            }
        });
        return switch (t.state) {
            case COMPLETE -> new TrialRecord(t.number, TrialState.COMPLETE, sampled, t.value, t.intermediate);
            case PRUNED -> TrialRecord.pruned(t.number, sampled, t.intermediate);
            case FAIL -> TrialRecord.failed(t.number, sampled);
            case RUNNING -> new TrialRecord(t.number, TrialState.RUNNING, sampled, null, t.intermediate);
        };
    }

    // --- helpers ---

    private String trialJobId(int number, int fold, int retry) {
        return id + "-t" + number + (folds.size() > 1 ? "-f" + (fold + 1) : "") + (retry > 0 ? "-r" + retry : "");
    }

    private String finalJobId(int fold, int retry) {
        return id + "-final" + (folds.size() > 1 ? "-f" + (fold + 1) : "") + (retry > 0 ? "-r" + retry : "");
    }

    private String foldText(Run run) {
        return folds.size() > 1 ? " (fold " + (run.fold + 1) + ")" : "";
    }

    /** A job whose worker fell silent past all its lease attempts: the infrastructure's fault, worth another go. */
    private static boolean isSilence(String failure) {
        return failure != null && failure.contains("went silent");
    }

    /** Each job draws from its own seed, fixed by the study seed, trial number and fold. */
    private long jobSeed(int number, int fold) {
        long z = seed + 0x9E3779B97F4A7C15L * (number * 64L + fold + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private String name() {
        return spec.name() != null ? spec.name() : id;
    }

    private static int count(ObjectRef ref) {
        return ref == null || ref.shape().length == 0 ? 0 : ref.shape()[0];
    }

    private static ObjectRef or(ObjectRef a, ObjectRef b) {
        return a != null ? a : b;
    }

    private String lastDetail() {
        return history.isEmpty() ? "" : history.get(history.size() - 1).detail();
    }

    private void move(Phase next, long now, String detail) {
        phase = next;
        updatedAt = now;
        history.add(new StateChange(now, next, detail));
    }

    private void note(long now, String detail) {
        history.add(new StateChange(now, phase, detail));
    }

    /** The trial numbers changed since the last call, for a store that writes only what changed. */
    Set<Integer> takeChangedTrials() {
        Set<Integer> out = new HashSet<>(changedTrials);
        changedTrials.clear();
        return out;
    }

    // --- reading ---

    public String id() {
        return id;
    }

    public StudySpec spec() {
        return spec;
    }

    public long seed() {
        return seed;
    }

    public int bands() {
        return bands;
    }

    public List<DatasetRefs> folds() {
        return List.copyOf(folds);
    }

    public boolean hasTest() {
        return hasTest;
    }

    public Phase phase() {
        return phase;
    }

    public List<Trial> trials() {
        return java.util.Collections.unmodifiableList(trials);
    }

    public Best best() {
        return best;
    }

    public List<Run> finalRuns() {
        return List.copyOf(finalRuns);
    }

    public List<Retrain> retrains() {
        return List.copyOf(retrains);
    }

    public List<StateChange> history() {
        return List.copyOf(history);
    }

    public long createdAt() {
        return createdAt;
    }

    public long updatedAt() {
        return updatedAt;
    }

    /** Whether {@code jobId} is one of this study's jobs (they all start with the study id). */
    public boolean owns(String jobId) {
        return jobId.startsWith(id + "-");
    }

    /** Trials with an outcome. */
    public long finished() {
        return trials.stream().filter(t -> !t.isRunning()).count();
    }

    public long running() {
        return trials.stream().filter(Trial::isRunning).count();
    }

    /** For the store: the trials without the header, and the header without the trials. */
    List<Trial> trialList() {
        return trials;
    }

    void replaceTrials(List<Trial> loaded) {
        trials = new ArrayList<>(loaded);
    }
}
