package org.jbia.optimize.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jbia.common.array.ImageStack;
import org.jbia.common.array.Npy;
import org.jbia.common.schema.DatasetRefs;
import org.jbia.common.schema.Event;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.ObjectRef;
import org.jbia.common.schema.study.DataChanged;
import org.jbia.common.schema.study.StudySpec;
import org.jbia.common.store.ObjectStore;
import org.jbia.optimize.job.JobState;
import org.jbia.optimize.study.Folds;
import org.jbia.optimize.study.JobView;
import org.jbia.optimize.study.Study;
import org.jbia.optimize.study.StudyPlan;
import org.jbia.optimize.study.StudyRepository;
import org.jbia.service.EventSender;
import org.jboss.logging.Logger;

/**
 * Drives studies. Trials are ordinary jobs of the {@link JobOrchestrator} (so leases, requeues,
 * dead letters and idempotent workers come with them); this class hears of every change to them,
 * feeds it to the study, saves the study, and only then cancels, launches the jobs and publishes the
 * events the study asks for. One thread does all of that, taking the news in batches, so a burst of
 * completions costs one write per study. A clock re-reads the jobs of running trials, so news lost in
 * a crash is picked up from the jobs' own records.
 */
@ApplicationScoped
public class StudyOrchestrator {
    private static final Logger LOG = Logger.getLogger(StudyOrchestrator.class);
    private static final int BATCH = 1000;

    @Inject
    ObjectStore store;

    @Inject
    JobOrchestrator jobs;

    @ConfigProperty(name = "bia.s3.bucket", defaultValue = "jbia")
    String bucket;

    /** How often the jobs of running trials are re-read, in ticks of the clock. */
    @ConfigProperty(name = "bia.study.reconcile-ticks", defaultValue = "5")
    int reconcileTicks;

    @Channel("model-published")
    Emitter<String> modelPublished;

    private final Map<String, Study> studies = new LinkedHashMap<>();
    private final Map<String, StudyPlan> plans = new LinkedHashMap<>();
    private final Map<String, ObjectRef> subsets = new java.util.concurrent.ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private StudyRepository repository;
    private Thread loop;
    private volatile boolean running;
    private boolean resumed;
    private int ticks;

    /** A turn of the clock. */
    private record Tick() {
    }

    /** A study to advance (just submitted). */
    private record Advance(String studyId) {
    }

    void onStart(@Observes StartupEvent event) {
        store.ensureBucket(bucket);
        repository = new StudyRepository(store, bucket);
        long started = System.nanoTime();
        synchronized (this) {
            for (Study study : repository.loadAll()) {
                studies.put(study.id(), study);
            }
        }
        LOG.infof("study orchestrator ready: %d studies known (read in %d ms)", studies.size(),
                (System.nanoTime() - started) / 1_000_000);
        running = true;
        loop = new Thread(this::run, "study-loop");
        loop.setDaemon(true);
        loop.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
    }

    /** Takes note of a change to one of the studies' jobs; runs on the caller's thread, so it only copies. */
    void onJobChanged(@Observes JobChanged change) {
        String jobId = change.job().id();
        if (jobId.startsWith("study-")) {
            inbox.add(JobView.of(change.job()));
        }
    }

    @Scheduled(every = "${bia.study.tick:1s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        inbox.add(new Tick());
    }

    // --- the public side ---

    /**
     * Stores the arrays (and with opt_cv each fold's), records the study and starts it. The arrays
     * must have been checked ({@link org.jbia.optimize.api.StudyCheck}).
     */
    public Study submit(StudySpec spec, Map<String, ImageStack> arrays) {
        String id = "study-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        long seed = spec.seed() != null ? spec.seed() : new java.security.SecureRandom().nextLong();
        ImageStack positive = arrays.get("positive");
        ImageStack negative = arrays.get("negative");
        ObjectRef testPositive = put(id, "input/test_positive.npy", arrays.get("test_positive"));
        ObjectRef testNegative = put(id, "input/test_negative.npy", arrays.get("test_negative"));
        List<DatasetRefs> folds = new ArrayList<>();
        int count = spec.optimize().optCv() == null ? 1 : spec.optimize().optCv();
        List<Folds.Split> p = Folds.rotate(positive, arrays.get("val_positive"), count);
        List<Folds.Split> n = Folds.rotate(negative, arrays.get("val_negative"), count);
        for (int k = 0; k < count; k++) {
            String dir = k == 0 ? "input/" : "fold-" + (k + 1) + "/";
            // A class without validation data keeps the same training set in every fold: store it once.
            ObjectRef pos = k > 0 && p.get(k).validation() == null ? folds.get(0).positive()
                    : put(id, dir + "positive.npy", p.get(k).train());
            ObjectRef neg = k > 0 && n.get(k).validation() == null ? folds.get(0).negative()
                    : put(id, dir + "negative.npy", n.get(k).train());
            folds.add(new DatasetRefs(pos, neg, put(id, dir + "val_positive.npy", p.get(k).validation()),
                    put(id, dir + "val_negative.npy", n.get(k).validation()), testPositive, testNegative));
        }
        Study study = Study.create(id, spec, seed, positive.bands(), folds, now());
        synchronized (this) {
            plans.put(id, StudyPlan.of(study.spec(), study.bands(), study.seed()));
            repository.save(study);
            studies.put(id, study);
        }
        inbox.add(new Advance(id));
        return study;
    }

    /** New data for a study, from Kafka or the API; an unknown study is an error the caller reports. */
    public void dataChanged(DataChanged event) {
        synchronized (this) {
            if (!studies.containsKey(event.studyId())) {
                throw new IllegalArgumentException("no study with id '" + event.studyId() + "'");
            }
        }
        inbox.add(event);
    }

    /** Stores one array of a data change and returns its reference. */
    public ObjectRef storeChange(String studyId, String request, String name, ImageStack stack) {
        return put(studyId, "changes/" + request + "/" + name + ".npy", stack);
    }

    public synchronized Optional<Study> find(String id) {
        return Optional.ofNullable(studies.get(id));
    }

    public synchronized StudyPlan plan(Study study) {
        return planOf(study);
    }

    public synchronized List<Study> all() {
        List<Study> list = new ArrayList<>(studies.values());
        list.sort(Comparator.comparingLong(Study::createdAt).reversed());
        return list;
    }

    /** Runs {@code reader} on the study while the loop cannot change it. */
    public synchronized <T> Optional<T> read(String id, java.util.function.Function<Study, T> reader) {
        Study study = studies.get(id);
        return study == null ? Optional.empty() : Optional.of(reader.apply(study));
    }

    public byte[] read(ObjectRef ref) {
        return store.get(ref);
    }

    // --- the loop ---

    private void run() {
        while (running) {
            try {
                Object first = inbox.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                List<Object> batch = new ArrayList<>();
                batch.add(first);
                inbox.drainTo(batch, BATCH);
                process(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "study loop: %s", e.getMessage());
                sleepQuietly();
            }
        }
    }

    private void process(List<Object> batch) {
        long now = now();
        Map<String, Study.Actions> actions = new LinkedHashMap<>();
        boolean tick = false;
        synchronized (this) {
            for (Object item : batch) {
                if (item instanceof JobView view) {
                    Study study = studies.get(studyIdOf(view.id()));
                    if (study != null) {
                        add(actions, study, study.onJob(complete(view), planOf(study), now));
                    }
                } else if (item instanceof DataChanged change) {
                    Study study = studies.get(change.studyId());
                    if (study != null) {
                        add(actions, study, study.onDataChanged(change, now));
                    }
                } else if (item instanceof Advance advance) {
                    Study study = studies.get(advance.studyId());
                    if (study != null) {
                        add(actions, study, study.advance(planOf(study), now));
                    }
                } else if (item instanceof Tick) {
                    tick = true;
                }
            }
            if (tick) {
                clock(actions, now);
            }
            for (Map.Entry<String, Study.Actions> e : actions.entrySet()) {
                Study study = studies.get(e.getKey());
                try {
                    repository.save(study);
                    act(study, e.getValue());
                } catch (RuntimeException failure) {
                    // The clock launches what is missing once the store or the broker is back.
                    LOG.errorf(failure, "study %s: %s", study.id(), failure.getMessage());
                }
            }
        }
    }

    /** The first tick resumes every study; every few ticks the jobs of running trials are re-read. */
    private void clock(Map<String, Study.Actions> actions, long now) {
        if (!resumed) {
            resumed = true;
            long started = System.nanoTime();
            for (Study study : studies.values()) {
                add(actions, study, study.resume(planOf(study), now));
            }
            if (!studies.isEmpty()) {
                LOG.infof("resumed %d studies in %d ms", studies.size(), (System.nanoTime() - started) / 1_000_000);
            }
        }
        if (++ticks % Math.max(1, reconcileTicks) != 0) {
            return;
        }
        for (Study study : studies.values()) {
            for (String jobId : waitingJobs(study)) {
                Optional<JobView> view = jobs.inspect(jobId, JobView::of);
                if (view.isEmpty()) {
                    // The job was never created (a crash between saving the study and launching): launch it.
                    add(actions, study, study.resume(planOf(study), now));
                    break;
                }
                if (view.get().state().isTerminal()) {
                    add(actions, study, study.onJob(complete(view.get()), planOf(study), now));
                }
            }
        }
    }

    private static Set<String> waitingJobs(Study study) {
        Set<String> ids = new LinkedHashSet<>();
        for (Study.Trial t : study.trials()) {
            if (t.state() == org.jbia.optimize.search.TrialState.RUNNING) {
                t.runs().stream().filter(r -> !r.state().isTerminal()).forEach(r -> ids.add(r.job()));
            }
        }
        study.finalRuns().stream().filter(r -> !r.state().isTerminal()).forEach(r -> ids.add(r.job()));
        for (Study.Retrain r : study.retrains()) {
            if (r.run() != null && !r.run().state().isTerminal()) {
                ids.add(r.run().job());
            }
        }
        return ids;
    }

    private void act(Study study, Study.Actions actions) {
        for (Study.Cancel cancel : actions.cancels()) {
            try {
                if (!jobs.cancel(cancel.jobId(), cancel.reason())) {
                    // Ended before the cancel (or never created): the study learns how, should it have missed it.
                    jobs.inspect(cancel.jobId(), JobView::of).ifPresent(inbox::add);
                }
            } catch (RuntimeException e) {
                // A cancel that did not go out only wastes a worker's time: it must not hold up the launches.
                LOG.warnf("study %s: could not cancel job %s: %s", study.id(), cancel.jobId(), e.getMessage());
            }
        }
        for (Study.Launch launch : actions.launches()) {
            jobs.submitPrepared(launch.jobId(), launch.spec(), launch.seed(), dataFor(study, launch));
        }
        boolean published = false;
        for (Event event : actions.events()) {
            EventSender.sendAndWait(modelPublished, event);
            study.markPublished(event.requestId(), now());
            published = true;
        }
        if (published) {
            repository.save(study);
        }
    }

    /** With balance, the first negatives only: stored once per size and reused. */
    private DatasetRefs dataFor(Study study, Study.Launch launch) {
        DatasetRefs data = launch.data();
        Integer limit = launch.negativeLimit();
        if (limit == null || data.negative() == null) {
            return data;
        }
        ObjectRef negative = data.negative();
        String key = StudyRepository.dataKey(study.id(), "subsets/negative-" + negative.sha256().substring(0, 12)
                + "-first-" + limit + ".npy");
        int[] shape = negative.shape().clone();
        shape[0] = limit;
        ObjectRef subset = subsets.computeIfAbsent(key, k -> store.stat(bucket, k, shape, "float32")
                .orElseGet(() -> store.put(bucket, k, Npy.write(Npy.read(store.get(negative)).slice(0, limit)), shape,
                        "float32")));
        return new DatasetRefs(data.positive(), subset, data.valPositive(), data.valNegative(), data.testPositive(),
                data.testNegative());
    }

    /**
     * A completed job's view with its full per-epoch history: from its progress reports when they all
     * arrived (the usual case), else from its report.
     */
    private JobView complete(JobView view) {
        if (view.state() != JobState.COMPLETED || view.result() == null || view.result().report() == null) {
            return view;
        }
        if (view.epochs().size() == view.result().epochsRun() && view.epochs().stream().noneMatch(Map::isEmpty)) {
            return view;
        }
        try {
            JsonNode history = JsonCodec.mapper().readTree(store.get(view.result().report())).path("history");
            if (!history.isObject()) {
                return view;
            }
            List<Map<String, Double>> epochs = new ArrayList<>();
            history.fields().forEachRemaining(column -> {
                for (int e = 0; e < column.getValue().size(); e++) {
                    while (epochs.size() <= e) {
                        epochs.add(new LinkedHashMap<>());
                    }
                    JsonNode v = column.getValue().get(e);
                    epochs.get(e).put(column.getKey(), v.isNumber() ? v.asDouble() : Double.NaN);
                }
            });
            return view.withEpochs(epochs);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warnf("job %s: cannot read its report (%s); scoring from its progress reports", view.id(),
                    e.getMessage());
            return view;
        }
    }

    private StudyPlan planOf(Study study) {
        return plans.computeIfAbsent(study.id(), id -> StudyPlan.of(study.spec(), study.bands(), study.seed()));
    }

    private static void add(Map<String, Study.Actions> actions, Study study, Study.Actions more) {
        actions.merge(study.id(), more, Study.Actions::plus);
    }

    /** Study ids are "study-" and 12 hex digits; a job id starts with its study's. */
    static String studyIdOf(String jobId) {
        int dash = jobId.indexOf('-', "study-".length());
        return dash < 0 ? jobId : jobId.substring(0, dash);
    }

    private ObjectRef put(String studyId, String name, ImageStack stack) {
        if (stack == null) {
            return null;
        }
        return store.put(bucket, StudyRepository.dataKey(studyId, name), Npy.write(stack), stack.shape(), "float32");
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
