package org.jbia.optimize.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Every few seconds: requeue training whose worker stopped reporting (bia.train.lease-seconds). */
@ApplicationScoped
public class LeaseWatch {

    @Inject
    JobOrchestrator orchestrator;

    @ConfigProperty(name = "bia.train.lease-seconds", defaultValue = "120")
    long leaseSeconds;

    @ConfigProperty(name = "bia.train.max-attempts", defaultValue = "3")
    int maxAttempts;

    @Scheduled(every = "${bia.train.lease-check:2s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        orchestrator.checkLeases(leaseSeconds * 1000, maxAttempts);
    }
}
