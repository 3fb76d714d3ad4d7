package org.jbia.optimize.service;

/** An event or request names a job this orchestrator has no record of. */
public class UnknownJobException extends RuntimeException {
    public UnknownJobException(String jobId) {
        super("no job with id '" + jobId + "'");
    }
}
