package org.jbia.train.backend;

import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.Problems;
import org.jbia.common.schema.TrainSpec;
import org.jbia.train.backend.dl4j.Dl4jBackend;
import org.jbia.train.backend.libtorch.LibtorchBackend;

/** The training backends of this build, by name, and the service-wide choice for jobs that name none. */
public final class Backends {
    /** Backends this build can run; TrainSpec.BACKENDS also names those that come in other builds. */
    public static final List<String> AVAILABLE = List.of("dl4j", "libtorch");
    /** The backend of a job whose spec names none (environment: BIA_TRAIN_BACKEND). */
    public static final String SETTING = "bia.train.backend";
    /** {@value #SETTING} when it is not set. */
    public static final String DEFAULT = "dl4j";

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

    /**
     * The spec as it runs: unchanged when it names a backend, else with the service's {@link #SETTING}, so
     * that the bundle records the backend actually used.
     */
    public static TrainSpec chosenFor(TrainSpec spec) {
        return spec.backend() != null ? spec : spec.withBackend(serviceDefault());
    }

    /**
     * {@value #SETTING} from the configuration (application.properties, BIA_TRAIN_BACKEND, -Dbia.train.backend),
     * {@value #DEFAULT} when not set.
     *
     * @throws InvalidSpecException when it names no backend of this build
     */
    public static String serviceDefault() {
        return checkedSetting(ConfigProvider.getConfig().getOptionalValue(SETTING, String.class).orElse(DEFAULT));
    }

    /** {@code value} of {@value #SETTING} when this build has that backend; else the error naming the setting. */
    static String checkedSetting(String value) {
        new Problems().requireOneOf(SETTING, value, AVAILABLE).throwIfAny("train-service setting");
        return value;
    }
}
