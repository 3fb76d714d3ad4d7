package org.jbia.train.backend;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses to start a train-service whose {@value Backends#SETTING} names no backend of this build, rather
 * than failing the first job that names none.
 */
@ApplicationScoped
public class BackendSetting {

    void check(@Observes StartupEvent event) {
        Backends.serviceDefault();
    }
}
