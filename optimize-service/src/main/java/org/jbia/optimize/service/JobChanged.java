package org.jbia.optimize.service;

import org.jbia.optimize.job.Job;

/**
 * A job was changed by a fact and saved: fired synchronously while the orchestrator still holds the
 * job, so an observer may read it but must not block or call back into the orchestrator.
 */
public record JobChanged(Job job) {
}
