package org.jbia.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.study.StudySpec;

/**
 * The optimize-service's study API ({@code /studies}), as {@code bia optimize} and {@code bia study}
 * use it. Errors are {@link JbiaClient.ApiException}s, as for jobs.
 */
public final class StudyClient {
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public StudyClient(String baseUrl) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    }

    /** Submits a study: {@code arrays} maps positive, negative, val_positive, ... to .npy files. */
    public JsonNode submit(StudySpec spec, Map<String, Path> arrays) {
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
            throw new UncheckedIOException("cannot read " + e.getMessage(), e);
        }
        return json(send(HttpRequest.newBuilder(base.resolve("studies"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build()));
    }

    public JsonNode study(String id) {
        return json(get("studies/" + id));
    }

    public JsonNode studies() {
        return json(get("studies"));
    }

    public JsonNode trials(String id) {
        return json(get("studies/" + id + "/trials"));
    }

    public String trialsCsv(String id) {
        return new String(get("studies/" + id + "/trials.csv"), StandardCharsets.UTF_8);
    }

    /** The final model: the bundle, or with opt_cv the ensemble zip (or one fold's bundle). */
    public byte[] model(String id, Integer fold) {
        return get("studies/" + id + "/model" + (fold == null ? "" : "?fold=" + fold));
    }

    private byte[] get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    private byte[] send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw new JbiaClient.ApiException(response.statusCode(),
                        new String(response.body(), StandardCharsets.UTF_8));
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach jBIA at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
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

    private static JsonNode json(byte[] body) {
        try {
            return JsonCodec.mapper().readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("the server's answer is not JSON: "
                    + new String(body, StandardCharsets.UTF_8), e);
        }
    }
}
