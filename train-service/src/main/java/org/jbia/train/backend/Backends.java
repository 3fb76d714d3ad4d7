package org.jbia.train.backend;

import java.util.List;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.train.backend.dl4j.Dl4jBackend;

/** The training backends of this build, by name. */
public final class Backends {
    /** Backends this build can run; TrainSpec.BACKENDS also names those that come in other builds. */
    public static final List<String> AVAILABLE = List.of("dl4j");

    private Backends() {
    }

    public static TrainingBackend named(String name) {
        if ("dl4j".equals(name)) {
            return Dl4jBackend.instance();
        }
        throw new InvalidSpecException("backend", List.of(problem(name)));
    }

    /** The message for a backend this build cannot run. */
    public static String problem(String name) {
        return "backend = '" + name + "' is not allowed: this build has " + String.join(", ", AVAILABLE);
    }
}
