package org.jbia.optimize.job;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.store.ObjectStore;

/**
 * Durable job records: one JSON document per job in the object store, rewritten after every change,
 * so an orchestrator that restarts knows every job and where it stood.
 */
public final class JobRepository {
    private static final String PREFIX = "jobs/";
    private static final String RECORD = "/job.json";

    private final ObjectStore store;
    private final String bucket;

    public JobRepository(ObjectStore store, String bucket) {
        this.store = store;
        this.bucket = bucket;
    }

    public void save(Job job) {
        byte[] json = JsonCodec.encodePretty(job).getBytes(StandardCharsets.UTF_8);
        store.put(bucket, PREFIX + job.id() + RECORD, json, new int[0], "json");
    }

    public Optional<Job> find(String id) {
        return store.getIfExists(bucket, PREFIX + id + RECORD)
                .map(bytes -> JsonCodec.decode(new String(bytes, StandardCharsets.UTF_8), Job.class));
    }

    public List<Job> loadAll() {
        List<Job> jobs = new ArrayList<>();
        for (String key : store.list(bucket, PREFIX)) {
            if (key.endsWith(RECORD)) {
                store.getIfExists(bucket, key)
                        .map(bytes -> JsonCodec.decode(new String(bytes, StandardCharsets.UTF_8), Job.class))
                        .ifPresent(jobs::add);
            }
        }
        return jobs;
    }

    /** Where the job's arrays and results live. */
    public static String dataKey(String jobId, String name) {
        return PREFIX + jobId + "/" + name;
    }
}
