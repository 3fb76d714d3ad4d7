package org.jbia.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jbia.common.schema.JobSpec;
import org.jbia.common.schema.JsonCodec;

/** The optimize-service's REST API, as the CLI and the end-to-end tests use it. */
public final class JbiaClient {
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public JbiaClient(String baseUrl) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    }

    /** An HTTP answer that is not a success, with the server's explanation. */
    public static final class ApiException extends RuntimeException {
        private final int status;
        private final String body;

        ApiException(int status, String body) {
            super("HTTP " + status + ": " + body);
            this.status = status;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }
    }

    /**
     * Submits a job: {@code arrays} maps the API's field names (positive, negative, val_positive, ...)
     * to .npy files. Returns the job as the server recorded it.
     */
    public JsonNode submit(JobSpec spec, Map<String, Path> arrays) {
        return submitForm("jobs", spec, arrays);
    }

    /** POSTs a spec and its arrays as one multipart form to {@code path} (jobs and studies take the same form). */
    JsonNode submitForm(String path, Object spec, Map<String, Path> arrays) {
        String boundary = "bia-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            part(body, boundary, "spec", null, "application/json", JsonCodec.encode(spec).getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, Path> e : arrays.entrySet()) {
                part(body, boundary, e.getKey(), e.getValue().getFileName().toString(), "application/octet-stream",
                        Files.readAllBytes(e.getValue()));
            }
            body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + e.getMessage(), e);
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return json(send(request));
    }

    /** GET {@code path} relative to the API's base; its body, or an {@link ApiException} for a non-2xx answer. */
    byte[] get(String path) {
        return sendBytes(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    public JsonNode job(String id) {
        return json(send(HttpRequest.newBuilder(base.resolve("jobs/" + id)).GET().build()));
    }

    public byte[] model(String id) {
        return sendBytes(HttpRequest.newBuilder(base.resolve("jobs/" + id + "/model")).GET().build());
    }

    /** Stores a model bundle in the stack (POST /models); the answer describes it (id, name, bundle reference). */
    public JsonNode uploadModel(Path bundle, String name) {
        String boundary = "bia-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            part(body, boundary, "bundle", bundle.getFileName().toString(), "application/zip", Files.readAllBytes(bundle));
            if (name != null) {
                part(body, boundary, "name", null, "text/plain", name.getBytes(StandardCharsets.UTF_8));
            }
            body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + e.getMessage(), e);
        }
        return json(send(HttpRequest.newBuilder(base.resolve("models"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build()));
    }

    /** A stored model bundle (GET /models/{id}). */
    public byte[] storedModel(String id) {
        return sendBytes(HttpRequest.newBuilder(base.resolve("models/" + id)).GET().build());
    }

    /** A PNG grid of one of the job's data sets; {@code query} holds band, first, count, vmin, vmax... */
    public byte[] preview(String id, String set, Map<String, String> query) {
        StringBuilder q = new StringBuilder();
        query.forEach((k, v) -> q.append(q.isEmpty() ? "?" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sendBytes(HttpRequest.newBuilder(base.resolve("jobs/" + id + "/preview/" + set + q)).GET().build());
    }

    /** One of the job's data sets as trained on, as .npy bytes. */
    public byte[] data(String id, String set) {
        return sendBytes(HttpRequest.newBuilder(base.resolve("jobs/" + id + "/data/" + set)).GET().build());
    }

    public JsonNode report(String id) {
        return json(new String(sendBytes(HttpRequest.newBuilder(base.resolve("jobs/" + id + "/report")).GET().build()),
                StandardCharsets.UTF_8));
    }

    private static void part(ByteArrayOutputStream out, String boundary, String name, String filename, String type,
                             byte[] content) throws IOException {
        StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append('"');
        if (filename != null) {
            head.append("; filename=\"").append(filename.replace("\"", "")).append('"');
        }
        head.append("\r\nContent-Type: ").append(type).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        out.write(content);
        out.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    private String send(HttpRequest request) {
        return new String(sendBytes(request), StandardCharsets.UTF_8);
    }

    private byte[] sendBytes(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw new ApiException(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
            }
            return response.body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot reach jBIA at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JsonCodec.mapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("the server's answer is not JSON: " + text, e);
        }
    }
}
