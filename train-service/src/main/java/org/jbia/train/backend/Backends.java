package org.jbia.train.backend;

import java.util.List;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.train.backend.dl4j.Dl4jBackend;
import org.jbia.train.backend.libtorch.LibtorchBackend;

/** The training backends of this build, by name. */
public final class Backends {
    /** Backends this build can run; TrainSpec.BACKENDS also names those that come in other builds. */
    public static final List<String> AVAILABLE = List.of("dl4j", "libtorch");

    private Backends() {
    }

    /**
     * The backend, started on first use (natives loaded, engine and device logged).
     *
     * @throws IllegalStateException when the backend's native libraries are missing or do not load
     */
    public static TrainingBackend named(String name) {
        if ("dl4j".equals(name)) {
            return Dl4jBackend.instance();
        }
        if ("libtorch".equals(name)) {
            return LibtorchBackend.instance();
        }
        throw new InvalidSpecException("backend", List.of(problem(name)));
    }

    /** The message for a backend this build cannot run. */
    public static String problem(String name) {
        return "backend = '" + name + "' is not allowed: this build has " + String.join(", ", AVAILABLE);
    }
}
