package org.jbia.common.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON codec of jBIA: events, specs, job records and reports all pass through it. */
public final class JsonCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private JsonCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String encode(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    public static String encodePretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Decodes a JSON document, reporting what is wrong with it in terms of the expected type. */
    public static <T> T decode(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("empty document where a " + type.getSimpleName() + " was expected");
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Decodes an event and checks the fields every event needs, so that a handler never sees a
     * half-formed one.
     */
    public static <T extends Event> T decodeEvent(String json, Class<T> type) {
        T event = decode(json, type);
        if (event.version() < 1 || event.version() > Event.CURRENT_VERSION) {
            throw new MalformedEventException(type.getSimpleName() + " has version " + event.version()
                    + "; this service reads versions 1 to " + Event.CURRENT_VERSION);
        }
        if (event.jobId() == null || event.jobId().isBlank()) {
            throw new MalformedEventException(type.getSimpleName() + " has no job_id");
        }
        if (event.requestId() == null || event.requestId().isBlank()) {
            throw new MalformedEventException(type.getSimpleName() + " has no request_id");
        }
        return event;
    }
}
