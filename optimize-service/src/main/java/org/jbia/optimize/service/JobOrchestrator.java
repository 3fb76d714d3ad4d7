package org.jbia.optimize.service;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jbia.common.array.ImageStack;
import org.jbia.common.array.Npy;
import org.jbia.common.schema.AugmentRequested;
import org.jbia.common.schema.DatasetRefs;
import org.jbia.common.schema.Event;
import org.jbia.common.schema.JobSpec;
import org.jbia.common.schema.ObjectRef;
import org.jbia.common.schema.TrainCancelled;
import org.jbia.common.schema.TrainRequested;
import org.jbia.common.store.ObjectStore;
import org.jbia.optimize.job.Job;
import org.jbia.optimize.job.JobRepository;
import org.jbia.service.EventSender;
import org.jboss.logging.Logger;

/**
 * Drives jobs: applies each fact to its job, saves the job, then sends the requests that follow.
 * Saving before sending means a crash between the two is repaired by {@link Job#resume} at the next
 * start, and workers' idempotency absorbs the repeat.
 */
@ApplicationScoped
public class JobOrchestrator {
    private static final Logger LOG = Logger.getLogger(JobOrchestrator.class);

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "bia.s3.bucket", defaultValue = "jbia")
    String bucket;

    @Channel("augment-requested")
    Emitter<String> augmentRequests;

    @Channel("train-requested")
    Emitter<String> trainRequests;

    @Channel("train-cancelled")
    Emitter<String> trainCancels;

    /** Every change of a job, for the studies whose trials are jobs; observers only take note. */
    @Inject
    jakarta.enterprise.event.Event<JobChanged> changes;

    private final Map<String, Job> jobs = new HashMap<>();
    private JobRepository repository;
    private boolean resumed;

    void onStart(@Observes StartupEvent event) {
        store.ensureBucket(bucket);
        repository = new JobRepository(store, bucket);
        synchronized (this) {
            for (Job job : repository.loadAll()) {
                jobs.put(job.id(), job);
            }
        }
        LOG.infof("orchestrator ready: %d jobs known", jobs.size());
    }

    /**
     * Sends again what unfinished jobs were waiting for. Called from the first clock tick rather
     * than at start-up, so the Kafka channels are connected by then.
     */
    synchronized void resumeUnfinished() {
        if (resumed) {
            return;
        }
        resumed = true;
        int count = 0;
        for (Job job : jobs.values()) {
            if (!job.isTerminal() || job.awaitingStop()) {
                count++;
                apply(job, j -> j.resume(now()));
            }
        }
        if (count > 0) {
            LOG.infof("resumed %d unfinished jobs", count);
        }
    }

    /** Stores the job's arrays, records the job and sends its first request. */
    public Job submit(JobSpec spec, Map<String, ImageStack> arrays) {
        String id = "job-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
        long seed = spec.seed() != null ? spec.seed() : new java.security.SecureRandom().nextLong();
        DatasetRefs input = new DatasetRefs(put(id, "positive", arrays.get("positive")),
                put(id, "negative", arrays.get("negative")), put(id, "val_positive", arrays.get("val_positive")),
                put(id, "val_negative", arrays.get("val_negative")), put(id, "test_positive", arrays.get("test_positive")),
                put(id, "test_negative", arrays.get("test_negative")));
        synchronized (this) {
            Job job = Job.submitted(id, spec, seed, input, now());
            jobs.put(id, job);
            apply(job, j -> j.start(now()));
            return job;
        }
    }

    /**
     * Records and starts a job whose arrays are already stored, under an id the caller chose (a
     * study's trial); a job of that id that exists already is returned as it is.
     */
    public synchronized Job submitPrepared(String id, JobSpec spec, long seed, DatasetRefs input) {
        Job known = jobs.get(id);
        if (known != null) {
            return known;
        }
        Job job = Job.submitted(id, spec, seed, input, now());
        jobs.put(id, job);
        apply(job, j -> j.start(now()));
        return job;
    }

    /** Reads a job while no event can change it. */
    public synchronized <T> Optional<T> inspect(String id, Function<Job, T> reader) {
        Job job = jobs.get(id);
        return job == null ? Optional.empty() : Optional.ofNullable(reader.apply(job));
    }

    /** Applies one fact to a known job; an unknown job is an error the caller reports. */
    public synchronized void handle(String jobId, Function<Job, List<Event>> step) {
        Job job = jobs.get(jobId);
        if (job == null) {
            throw new UnknownJobException(jobId);
        }
        apply(job, step);
    }

    /**
     * Ends a job whose result is no longer wanted, stopping its training (see {@link Job#cancel}).
     * A job that has ended, or that was never created, is left alone: returns whether it was cancelled.
     */
    public synchronized boolean cancel(String jobId, String reason) {
        Job job = jobs.get(jobId);
        if (job == null || job.isTerminal()) {
            return false;
        }
        apply(job, j -> j.cancel(reason, now()));
        return true;
    }

    /** The clock's turn: every training job whose worker went silent is requeued or failed. */
    public synchronized void checkLeases(long leaseMillis, int maxAttempts) {
        resumeUnfinished();
        for (Job job : jobs.values()) {
            if (!job.isTerminal()) {
                apply(job, j -> j.onClock(now(), leaseMillis, maxAttempts));
            }
        }
    }

    public synchronized Optional<Job> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    public synchronized List<Job> all() {
        List<Job> list = new ArrayList<>(jobs.values());
        list.sort(Comparator.comparingLong(Job::updatedAt).reversed());
        return list;
    }

    public byte[] read(ObjectRef ref) {
        return store.get(ref);
    }

    private void apply(Job job, Function<Job, List<Event>> step) {
        int recorded = job.history().size();
        List<Event> requests = step.apply(job);
        // Every change a restart needs (state, worker, attempt) adds a line to the job's record; a progress
        // report that only adds an epoch or renews the lease is kept in memory until the next such change.
        if (!requests.isEmpty() || job.history().size() != recorded) {
            repository.save(job);
        }
        for (Event request : requests) {
            if (request instanceof AugmentRequested) {
                EventSender.sendAndWait(augmentRequests, request);
            } else if (request instanceof TrainRequested) {
                EventSender.sendAndWait(trainRequests, request);
            } else if (request instanceof TrainCancelled) {
                EventSender.sendAndWait(trainCancels, request);
            } else {
                throw new IllegalStateException("no channel for " + request.getClass().getSimpleName());
            }
        }
        changes.fire(new JobChanged(job));
    }

    private ObjectRef put(String jobId, String name, ImageStack stack) {
        if (stack == null) {
            return null;
        }
        return store.put(bucket, JobRepository.dataKey(jobId, "input/" + name + ".npy"), Npy.write(stack),
                stack.shape(), "float32");
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
