package org.jbia.common.schema;

/**
 * What every jBIA event carries: the schema version, the job it belongs to, and the request it
 * answers or makes. Handlers are idempotent on {@link #requestId()}.
 */
public interface Event {
    /** The schema version this code writes; readers accept this one and older. */
    int CURRENT_VERSION = 1;

    int version();

    String jobId();

    String requestId();
}
