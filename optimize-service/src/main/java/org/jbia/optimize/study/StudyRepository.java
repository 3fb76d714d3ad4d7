package org.jbia.optimize.study;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.store.ObjectStore;

/**
 * Durable study records in the object store: a header document (spec, phase, best, final fit,
 * retraining, record) and the trials in blocks of {@value #BLOCK} per document, of which only the
 * blocks holding changed trials are rewritten (small blocks: a busy study rewrites little per change).
 * A study of 1,000 trials is read back with 41 requests.
 */
public final class StudyRepository {
    static final int BLOCK = 25;
    private static final String PREFIX = "studies/";
    private static final String HEADER = "/study.json";
    private static final TypeReference<List<Study.Trial>> TRIALS = new TypeReference<>() {
    };

    private final ObjectStore store;
    private final String bucket;
    /** The last header written per study, without its updated_at: an unchanged header is not rewritten. */
    private final java.util.Map<String, String> written = new java.util.concurrent.ConcurrentHashMap<>();

    public StudyRepository(ObjectStore store, String bucket) {
        this.store = store;
        this.bucket = bucket;
    }

    /** Writes the header and every block with a trial changed since the last save. */
    public void save(Study study) {
        Set<Integer> blocks = new TreeSet<>();
        for (int number : study.takeChangedTrials()) {
            blocks.add(number / BLOCK);
        }
        List<Study.Trial> trials = study.trialList();
        for (int block : blocks) {
            List<Study.Trial> part = trials.subList(block * BLOCK, Math.min(trials.size(), (block + 1) * BLOCK));
            put(trialsKey(study.id(), block), JsonCodec.encode(part));
        }
        ObjectNode header = JsonCodec.mapper().valueToTree(study);
        header.remove("trials");
        ObjectNode compared = header.deepCopy();
        compared.remove("updated_at");
        String key = compared.toString();
        if (!key.equals(written.get(study.id()))) {
            put(PREFIX + study.id() + HEADER, header.toString());
            written.put(study.id(), key);
        }
    }

    public Optional<Study> find(String id) {
        return store.getIfExists(bucket, PREFIX + id + HEADER).map(bytes -> read(id, bytes));
    }

    /** Every study on record, oldest first. */
    public List<Study> loadAll() {
        List<Study> studies = new ArrayList<>();
        for (String key : store.list(bucket, PREFIX)) {
            if (key.endsWith(HEADER)) {
                String id = key.substring(PREFIX.length(), key.length() - HEADER.length());
                find(id).ifPresent(studies::add);
            }
        }
        studies.sort(Comparator.comparingLong(Study::createdAt));
        return studies;
    }

    /** Where a study's own arrays (folds, subsets) live. */
    public static String dataKey(String studyId, String name) {
        return PREFIX + studyId + "/data/" + name;
    }

    private Study read(String id, byte[] header) {
        Study study = JsonCodec.decode(new String(header, StandardCharsets.UTF_8), Study.class);
        List<String> keys = new ArrayList<>(store.list(bucket, PREFIX + id + "/trials/"));
        keys.sort(Comparator.comparingInt(StudyRepository::blockOf));
        List<Study.Trial> trials = new ArrayList<>();
        for (String key : keys) {
            byte[] bytes = store.getIfExists(bucket, key).orElseThrow(() -> new IllegalStateException(
                    "study " + id + ": " + key + " was listed but cannot be read"));
            try {
                trials.addAll(JsonCodec.mapper().readValue(bytes, TRIALS));
            } catch (IOException e) {
                throw new UncheckedIOException("study " + id + ": " + key + " is not a valid trial block: "
                        + e.getMessage(), e);
            }
        }
        study.replaceTrials(trials);
        return study;
    }

    private void put(String key, String json) {
        store.put(bucket, key, json.getBytes(StandardCharsets.UTF_8), new int[0], "json");
    }

    private static String trialsKey(String id, int block) {
        return PREFIX + id + "/trials/" + block + ".json";
    }

    private static int blockOf(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1, key.length() - ".json".length());
        return Integer.parseInt(name);
    }
}
