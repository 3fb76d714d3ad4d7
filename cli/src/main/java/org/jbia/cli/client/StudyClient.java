package org.jbia.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.jbia.common.schema.study.StudySpec;

/**
 * The optimize-service's study API ({@code /studies}), as {@code bia optimize} and {@code bia study}
 * use it. Errors are {@link JbiaClient.ApiException}s, as for jobs.
 */
public final class StudyClient {
    private final JbiaClient api;

    public StudyClient(String baseUrl) {
        this.api = new JbiaClient(baseUrl);
    }

    /** Submits a study: {@code arrays} maps positive, negative, val_positive, ... to .npy files. */
    public JsonNode submit(StudySpec spec, Map<String, Path> arrays) {
        return api.submitForm("studies", spec, arrays);
    }

    public JsonNode study(String id) {
        return json(api.get("studies/" + id));
    }

    public JsonNode studies() {
        return json(api.get("studies"));
    }

    public JsonNode trials(String id) {
        return json(api.get("studies/" + id + "/trials"));
    }

    public String trialsCsv(String id) {
        return new String(api.get("studies/" + id + "/trials.csv"), StandardCharsets.UTF_8);
    }

    /** The final model: the bundle, or with opt_cv the ensemble zip (or one fold's bundle). */
    public byte[] model(String id, Integer fold) {
        return api.get("studies/" + id + "/model" + (fold == null ? "" : "?fold=" + fold));
    }

    private static JsonNode json(byte[] body) {
        return JbiaClient.json(new String(body, StandardCharsets.UTF_8));
    }
}
