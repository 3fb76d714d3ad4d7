package org.jbia.cli.stack;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.stack.LocalStackProcess;
import org.jbia.common.stack.StackInfo;

/**
 * jBIA on one machine: the local stack (Kafka broker and S3 server) and the three services, each its
 * own process, as in production. What runs is recorded in DATA/services.json so that later commands
 * ({@code bia status}, {@code bia down}, {@code bia train}) find it.
 */
public final class JbiaStack {
    /** The services in the order they start: workers first, the API last. */
    public static final List<String> SERVICES = List.of("augment-service", "train-service", "optimize-service");
    private static final Map<String, String> HEAPS = Map.of("augment-service", "2g", "train-service", "4g",
            "optimize-service", "2g");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /** What runs, as recorded. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record State(StackInfo infra, List<ServiceProcess.Handle> services) {
        public ServiceProcess.Handle service(String name) {
            return services.stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + name + " in this stack"));
        }

        @com.fasterxml.jackson.annotation.JsonIgnore
        public String apiUrl() {
            return service("optimize-service").url();
        }
    }

    private JbiaStack() {
    }

    /**
     * Starts everything and returns once every service answers. {@code env} adds settings for the
     * services (e.g. shorter leases in tests). A stack that cannot come up is stopped again.
     */
    public static State up(Path home, Path dataDir, Map<String, String> env, boolean detached) {
        if (System.getProperty(LocalStackProcess.JAR_PROPERTY) == null) {
            System.setProperty(LocalStackProcess.JAR_PROPERTY, home.resolve(LocalStackProcess.JAR_IN_PROJECT).toString());
        }
        LocalStackProcess infra = LocalStackProcess.start(LocalStackProcess.Settings.of(dataDir.resolve("stack"))
                .detached(detached));
        List<ServiceProcess.Handle> started = new ArrayList<>();
        try {
            for (String name : SERVICES) {
                started.add(startService(home, dataDir, infra.info(), name, env));
            }
            for (ServiceProcess.Handle service : started) {
                ServiceProcess.awaitReady(service, READY_TIMEOUT);
            }
        } catch (RuntimeException e) {
            started.forEach(s -> s.stop(Duration.ofSeconds(10)));
            infra.close();
            throw e;
        }
        State state = new State(infra.info(), started);
        save(dataDir, state);
        return state;
    }

    /** Starts one service against a running stack (also used to add instances or restart one). */
    public static ServiceProcess.Handle startService(Path home, Path dataDir, StackInfo infra, String name,
                                                     Map<String, String> env) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrap());
        all.put("BIA_S3_ENDPOINT", infra.s3Endpoint());
        all.put("BIA_S3_ACCESS_KEY", infra.s3AccessKey());
        all.put("BIA_S3_SECRET_KEY", infra.s3SecretKey());
        all.putAll(env);
        Path logs = dataDir.resolve("logs");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + logs + ": " + e.getMessage(), e);
        }
        int port = ServiceProcess.freePort();
        List<String> jvm = new ArrayList<>();
        if (name.equals("train-service")) {
            // ND4J keeps its arrays off-heap; give it room beyond the Java heap.
            jvm.add("-Dorg.bytedeco.javacpp.maxBytes=8g");
            jvm.add("-Dorg.bytedeco.javacpp.maxPhysicalBytes=12g");
        }
        return ServiceProcess.start(name, ProjectHome.serviceJar(home, name), all, port,
                logs.resolve(name + "-" + port + ".log"), HEAPS.get(name), jvm);
    }

    public static Path stateFile(Path dataDir) {
        return dataDir.resolve("services.json");
    }

    public static void save(Path dataDir, State state) {
        try {
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, "services", ".tmp");
            Files.writeString(tmp, JsonCodec.encodePretty(state), StandardCharsets.UTF_8);
            Files.move(tmp, stateFile(dataDir), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + stateFile(dataDir) + ": " + e.getMessage(), e);
        }
    }

    /** The recorded stack, if one was started from this data directory. */
    public static Optional<State> read(Path dataDir) {
        Path file = stateFile(dataDir);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonCodec.decode(Files.readString(file), State.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stops the services, then the stack; returns what was stopped. */
    public static List<String> down(Path dataDir) {
        List<String> stopped = new ArrayList<>();
        Optional<State> state = read(dataDir);
        if (state.isEmpty()) {
            return stopped;
        }
        List<ServiceProcess.Handle> services = new ArrayList<>(state.get().services());
        java.util.Collections.reverse(services);
        for (ServiceProcess.Handle service : services) {
            if (service.isAlive()) {
                service.stop(Duration.ofSeconds(20));
                stopped.add(service.name() + " (pid " + service.pid() + ")");
            }
        }
        if (LocalStackProcess.stop(state.get().infra(), Duration.ofSeconds(30))) {
            stopped.add("local stack (pid " + state.get().infra().pid() + ")");
        }
        try {
            Files.deleteIfExists(stateFile(dataDir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + stateFile(dataDir) + ": " + e.getMessage(), e);
        }
        return stopped;
    }
}
