package org.jbia.optimize.api;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.ObjectRef;
import org.jbia.common.store.ObjectStore;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Model bundles kept in the stack's object store, apart from any job: upload one (multipart: the zip
 * as {@code bundle}, an optional {@code name}), list them, and fetch one back by its id. An upload
 * must be a readable jBIA bundle (train-service's ModelBundle format): a zip holding a manifest of
 * format {@value #FORMAT} and the entries a predictor reads.
 */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {
    static final String FORMAT = "jbia-model";
    static final int VERSION = 1;
    /** What a predictor reads from a bundle besides the manifest. */
    static final List<String> REQUIRED = List.of("network.json", "preprocessing.json", "model.bin");
    static final int MAX_NAME = 200;
    private static final String PREFIX = "models/";
    private static final String RECORD = "/model.json";

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "bia.s3.bucket", defaultValue = "jbia")
    String bucket;

    /** A stored bundle: its id, the name it was uploaded with, its backend and where it lies. */
    public record StoredModel(String id, String name, String backend, String uploaded, ObjectRef bundle) {
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@RestForm("bundle") FileUpload bundle, @RestForm("name") String name) {
        List<String> problems = new ArrayList<>();
        byte[] zip = null;
        if (bundle == null) {
            problems.add("bundle: no file: send the model bundle zip as the multipart field 'bundle'");
        } else {
            try {
                zip = Files.readAllBytes(bundle.uploadedFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the uploaded bundle: " + e.getMessage(), e);
            }
            for (String p : problems(zip)) {
                problems.add("bundle: " + bundle.fileName() + " " + p);
            }
        }
        if (name != null && (name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl))) {
            problems.add("name = '" + name + "' is not allowed: give 1 to " + MAX_NAME
                    + " printable characters, or no name");
        }
        if (!problems.isEmpty()) {
            throw new SubmissionRejected(problems);
        }
        String id = "model-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String label = name != null ? name : bundle.fileName();
        ObjectRef ref = store.put(bucket, PREFIX + id + "/bundle.zip", zip, new int[0], "zip");
        StoredModel model = new StoredModel(id, label, manifest(zip).path("backend").asText(null),
                Instant.now().toString(), ref);
        store.put(bucket, PREFIX + id + RECORD, JsonCodec.encode(model).getBytes(StandardCharsets.UTF_8), new int[0],
                "json");
        return Response.created(URI.create("/models/" + id)).entity(JsonCodec.encode(model)).build();
    }

    @GET
    public String list() {
        List<StoredModel> all = new ArrayList<>();
        for (String key : store.list(bucket, PREFIX)) {
            if (key.endsWith(RECORD)) {
                store.getIfExists(bucket, key).ifPresent(bytes -> all.add(JsonCodec.decode(
                        new String(bytes, StandardCharsets.UTF_8), StoredModel.class)));
            }
        }
        all.sort(java.util.Comparator.comparing(StoredModel::uploaded));
        return JsonCodec.encode(all);
    }

    /** The bundle zip, verified against the size and SHA-256 recorded at upload. */
    @GET
    @Path("/{id}")
    @Produces("application/zip")
    public byte[] get(@PathParam("id") String id) {
        if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new NotFoundException("no model with id '" + id + "'");
        }
        StoredModel model = store.getIfExists(bucket, PREFIX + id + RECORD)
                .map(bytes -> JsonCodec.decode(new String(bytes, StandardCharsets.UTF_8), StoredModel.class))
                .orElseThrow(() -> new NotFoundException("no model with id '" + id + "'"));
        return store.get(model.bundle());
    }

    /**
     * What keeps {@code zip} from being a bundle a predictor can read, one message per problem (empty
     * when it is one).
     */
    static List<String> problems(byte[] zip) {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            return List.of("is not a readable zip: " + e.getMessage());
        }
        if (entries.isEmpty()) {
            return List.of("is not a zip archive (or an empty one): a model bundle is the zip `bia download` writes");
        }
        if (!entries.containsKey("manifest.json")) {
            return List.of("has no manifest.json: not a jBIA model bundle (it holds " + String.join(", ",
                    new java.util.TreeSet<>(entries.keySet())) + ")");
        }
        List<String> problems = new ArrayList<>();
        JsonNode manifest;
        try {
            manifest = JsonCodec.mapper().readTree(entries.get("manifest.json"));
        } catch (IOException e) {
            return List.of("has a manifest.json that is not JSON: " + e.getMessage());
        }
        if (!FORMAT.equals(manifest.path("format").asText(null))) {
            problems.add("has manifest format " + manifest.path("format") + "; expected \"" + FORMAT + "\"");
        }
        JsonNode version = manifest.path("version");
        if (!version.canConvertToInt() || version.asInt() < 1 || version.asInt() > VERSION) {
            problems.add("has manifest version " + version + "; this service reads versions 1 to " + VERSION);
        }
        for (String entry : REQUIRED) {
            if (!entries.containsKey(entry)) {
                problems.add("has no " + entry + " (a bundle holds manifest.json, " + String.join(", ", REQUIRED) + ")");
            }
        }
        return problems;
    }

    private static JsonNode manifest(byte[] zip) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals("manifest.json")) {
                    return JsonCodec.mapper().readTree(in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("checked bundle without a manifest");
    }
}
