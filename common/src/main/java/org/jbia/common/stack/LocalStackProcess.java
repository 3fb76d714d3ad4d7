package org.jbia.common.stack;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jbia.common.schema.Topics;

/**
 * The embedded Kafka broker and S3 server ({@code local-stack.jar}) as a child process: what the
 * {@code bia} CLI starts with {@code bia up}, and what tests start around themselves.
 *
 * <pre>{@code
 * try (LocalStackProcess stack = LocalStackProcess.start(LocalStackProcess.Settings.of(dataDir))) {
 *     StackInfo info = stack.info();   // kafkaBootstrap(), s3Endpoint(), s3AccessKey(), s3SecretKey()
 * }                                    // SIGTERM, wait, state file gone
 * }</pre>
 *
 * A separate process rather than in-process servers: Kafka and s3proxy bring hundreds of jars that
 * would clash with the services' own classpath, and a detached stack outlives the CLI that started it.
 */
public final class LocalStackProcess implements AutoCloseable {
    /** Where the jar is when the project has been built with {@code mvn package}. */
    public static final String JAR_IN_PROJECT = "local-stack/target/local-stack.jar";
    public static final String JAR_PROPERTY = "bia.localstack.jar";
    public static final String PROJECT_ROOT_PROPERTY = "bia.project.root";
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** Writing the class-data archive at the first exit takes up to a minute on a busy machine. */
    private static final Duration RECORDING_STOP_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final StackInfo info;
    private final Path stateFile;
    private final Path logFile;
    private final ClassDataArchive classData;
    private final Thread exitGuard;

    private LocalStackProcess(Process process, StackInfo info, Path stateFile, Path logFile,
                              ClassDataArchive classData, Thread exitGuard) {
        this.process = process;
        this.info = info;
        this.stateFile = stateFile;
        this.logFile = logFile;
        this.classData = classData;
        this.exitGuard = exitGuard;
    }

    /**
     * How to launch the stack. Port 0 picks a free port; null credentials make the stack generate a
     * pair; a detached stack is not stopped when this JVM exits (for {@code bia up}).
     */
    public record Settings(Path dataDir, Path stateFile, int kafkaPort, int s3Port, String accessKey,
                           String secretKey, int partitions, Duration startTimeout, boolean detached,
                           List<String> jvmOptions) {

        public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
        public static final int DEFAULT_PARTITIONS = 4;
        /** A dev broker: a small heap, one GC thread, and C1 only, which halves start-up on two cores. */
        public static final List<String> DEFAULT_JVM_OPTIONS =
                List.of("-Xms64m", "-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

        public Settings {
            if (dataDir == null) {
                throw new StackException("dataDir is required");
            }
            stateFile = stateFile == null ? defaultStateFile(dataDir) : stateFile;
            jvmOptions = jvmOptions == null ? DEFAULT_JVM_OPTIONS : List.copyOf(jvmOptions);
            startTimeout = startTimeout == null ? DEFAULT_START_TIMEOUT : startTimeout;
            for (int port : new int[] {kafkaPort, s3Port}) {
                if (port < 0 || port > 65535) {
                    throw new StackException("port " + port + " is not allowed: use 0 (a free port) or 1 to 65535");
                }
            }
            if ((accessKey == null) != (secretKey == null)) {
                throw new StackException("accessKey and secretKey go together: give both, or neither to have"
                        + " the stack generate a pair");
            }
            if (partitions < 1) {
                throw new StackException("partitions = " + partitions + " is not allowed: it must be at least 1");
            }
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new StackException("startTimeout = " + startTimeout + " is not allowed: it must be positive");
            }
        }

        /** Free ports, generated credentials, 4 partitions, 60 s to start, stopped with this JVM. */
        public static Settings of(Path dataDir) {
            return new Settings(dataDir, null, 0, 0, null, null, DEFAULT_PARTITIONS, null, false, null);
        }

        public Settings withStateFile(Path file) {
            return new Settings(dataDir, file, kafkaPort, s3Port, accessKey, secretKey, partitions, startTimeout,
                    detached, jvmOptions);
        }

        public Settings withPorts(int kafka, int s3) {
            return new Settings(dataDir, stateFile, kafka, s3, accessKey, secretKey, partitions, startTimeout,
                    detached, jvmOptions);
        }

        public Settings withCredentials(String access, String secret) {
            return new Settings(dataDir, stateFile, kafkaPort, s3Port, access, secret, partitions, startTimeout,
                    detached, jvmOptions);
        }

        public Settings withPartitions(int count) {
            return new Settings(dataDir, stateFile, kafkaPort, s3Port, accessKey, secretKey, count, startTimeout,
                    detached, jvmOptions);
        }

        public Settings withStartTimeout(Duration timeout) {
            return new Settings(dataDir, stateFile, kafkaPort, s3Port, accessKey, secretKey, partitions, timeout,
                    detached, jvmOptions);
        }

        public Settings detached(boolean outlivesThisJvm) {
            return new Settings(dataDir, stateFile, kafkaPort, s3Port, accessKey, secretKey, partitions, startTimeout,
                    outlivesThisJvm, jvmOptions);
        }

        public Settings withJvmOptions(List<String> options) {
            return new Settings(dataDir, stateFile, kafkaPort, s3Port, accessKey, secretKey, partitions, startTimeout,
                    detached, options);
        }
    }

    /** {@code DATA/stack.json}. */
    public static Path defaultStateFile(Path dataDir) {
        return dataDir.resolve("stack.json");
    }

    /** {@code DATA/local-stack.log}: the child's stdout and stderr. */
    public static Path logFile(Path dataDir) {
        return dataDir.resolve("local-stack.log");
    }

    /** Starts a stack on {@code dataDir} with the default {@link Settings}. */
    public static LocalStackProcess start(Path dataDir) {
        return start(Settings.of(dataDir));
    }

    /**
     * Launches {@code java -jar local-stack.jar}, creating every topic of {@link Topics#ALL}, and waits
     * until its state file appears. Fails, naming the reason (the child's last log lines when it died),
     * when the jar is missing, a live stack already uses the data dir, or the stack does not come up in
     * time; a child that did not come up is killed.
     */
    public static LocalStackProcess start(Settings settings) {
        Path jar = locateJar();
        Path dataDir = settings.dataDir().toAbsolutePath().normalize();
        Path stateFile = settings.stateFile().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StackException("cannot create the local stack data directory " + dataDir + ": " + e, e);
        }
        clearStaleState(stateFile);
        Path log = logFile(dataDir);
        // only a stack this process stops itself can record the archive: it must see the exit to keep it
        // (and options that choose their own class-data sharing get none from us)
        ClassDataArchive classData = settings.jvmOptions().stream().anyMatch(o -> o.contains("Xshare") || o.contains("Archive"))
                ? ClassDataArchive.none()
                : ClassDataArchive.forLaunch(jar, !settings.detached());

        ProcessBuilder builder = new ProcessBuilder(command(jar, dataDir, stateFile, settings, classData.jvmOptions()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        long logStart = log.toFile().length();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new StackException("cannot launch " + String.join(" ", builder.command()) + ": " + e, e);
        }
        StackInfo info;
        try {
            info = awaitState(process, stateFile, settings.startTimeout(), log, logStart);
        } catch (RuntimeException e) {
            try {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            // an archive recorded by a failed start would hold only part of the classes
            classData.settle(false);
            throw e;
        }
        Thread guard = null;
        if (!settings.detached()) {
            // a test JVM that dies without close() must not leave a broker behind
            guard = new Thread(() -> classData.settle(terminate(process.toHandle(), STOP_TIMEOUT)), "local-stack-guard");
            Runtime.getRuntime().addShutdownHook(guard);
        }
        return new LocalStackProcess(process, info, stateFile, log, classData, guard);
    }

    /** Where the running stack listens and the credentials to use. */
    public StackInfo info() {
        return info;
    }

    public Path stateFile() {
        return stateFile;
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        return process.pid();
    }

    /** Whether the child is still running (it may have been stopped from outside, e.g. {@code bia down}). */
    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * SIGTERM, which stops both servers cleanly and removes the state file; a kill after 30 s (120 s
     * while the child records the class-data archive, which only its first exit does).
     */
    @Override
    public void close() {
        classData.settle(terminate(process.toHandle(), classData.recording() ? RECORDING_STOP_TIMEOUT : STOP_TIMEOUT));
        if (exitGuard != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(exitGuard);
            } catch (IllegalStateException e) {
                // the JVM is already exiting; the guard's second SIGTERM is harmless
            }
        }
    }

    /** The state file's content; see {@link StackInfo#read(Path)}. */
    public static StackInfo read(Path stateFile) {
        return StackInfo.read(stateFile);
    }

    /** The stack the state file describes, when it is running; empty when absent or stale. */
    public static Optional<StackInfo> running(Path stateFile) {
        if (!Files.exists(stateFile)) {
            return Optional.empty();
        }
        StackInfo info = read(stateFile);
        return isAlive(info) ? Optional.of(info) : Optional.empty();
    }

    /**
     * Whether the stack is up: its process runs (and is a local stack, not an unrelated process that
     * got the pid of a dead one) and both its Kafka and S3 ports accept connections.
     */
    public static boolean isAlive(StackInfo info) {
        Optional<ProcessHandle> handle = ProcessHandle.of(info.pid());
        return handle.isPresent() && handle.get().isAlive() && looksLikeLocalStack(handle.get(), info)
                && answers(kafkaAddress(info.kafkaBootstrap())) && answers(s3Address(info.s3Endpoint()));
    }

    /**
     * Stops the stack described by {@code info} (for {@code bia down}): SIGTERM, wait up to
     * {@code timeout}, then kill. Returns false when it was not running.
     */
    public static boolean stop(StackInfo info, Duration timeout) {
        Optional<ProcessHandle> handle = ProcessHandle.of(info.pid());
        if (handle.isEmpty() || !handle.get().isAlive() || !looksLikeLocalStack(handle.get(), info)) {
            return false;
        }
        terminate(handle.get(), timeout);
        return true;
    }

    /**
     * The jar: {@code -Dbia.localstack.jar}, else {@value #JAR_IN_PROJECT} under
     * {@code -Dbia.project.root} (or the working directory) or one of its parents.
     */
    public static Path locateJar() {
        return locateJar(System.getProperty(JAR_PROPERTY),
                Path.of(System.getProperty(PROJECT_ROOT_PROPERTY, System.getProperty("user.dir"))));
    }

    static Path locateJar(String explicitJar, Path searchFrom) {
        if (explicitJar != null && !explicitJar.isBlank()) {
            Path jar = Path.of(explicitJar);
            if (!Files.isRegularFile(jar)) {
                throw new StackException("-D" + JAR_PROPERTY + "=" + explicitJar + " is not a file; point it at"
                        + " local-stack.jar, or leave it unset to use " + JAR_IN_PROJECT + " of the project");
            }
            return jar.toAbsolutePath();
        }
        for (Path dir = searchFrom.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve(JAR_IN_PROJECT);
            if (Files.isRegularFile(jar)) {
                if (!Files.isDirectory(jar.resolveSibling("lib"))) {
                    throw new StackException(jar + " has no lib/ directory beside it; rebuild it with"
                            + " `mvn package -pl local-stack` from the project root");
                }
                return jar;
            }
        }
        throw new StackException("local-stack.jar not found: no " + JAR_IN_PROJECT + " in "
                + searchFrom.toAbsolutePath().normalize() + " or its parents. Build it with `mvn package` (or"
                + " `mvn package -pl local-stack`) from the project root, or set -D" + JAR_PROPERTY + "=PATH");
    }

    static List<String> command(Path jar, Path dataDir, Path stateFile, Settings settings, List<String> extraJvmOptions) {
        List<String> cmd = new ArrayList<>();
        // own session: a terminal hang-up after `bia up` must not reach the stack
        if (settings.detached() && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(settings.jvmOptions());
        cmd.addAll(extraJvmOptions);
        cmd.addAll(List.of("-jar", jar.toString(), "--data-dir", dataDir.toString(), "--state-file",
                stateFile.toString(), "--topics", String.join(",", Topics.ALL),
                "--partitions", Integer.toString(settings.partitions()),
                "--kafka-port", Integer.toString(settings.kafkaPort()),
                "--s3-port", Integer.toString(settings.s3Port())));
        if (settings.accessKey() != null) {
            cmd.addAll(List.of("--access-key", settings.accessKey(), "--secret-key", settings.secretKey()));
        }
        return cmd;
    }

    /** A live stack on the same files would fight over the broker's log dir; a dead one's file is noise. */
    private static void clearStaleState(Path stateFile) {
        if (!Files.exists(stateFile)) {
            return;
        }
        StackInfo old = null;
        try {
            old = StackInfo.read(stateFile);
        } catch (StackException e) {
            // unreadable: certainly not a stack we could talk to
        }
        if (old != null && isAlive(old)) {
            throw new StackException("a local stack is already running with state file " + stateFile + " (pid "
                    + old.pid() + ", Kafka at " + old.kafkaBootstrap() + ", S3 at " + old.s3Endpoint()
                    + "); use it, or stop it first (`bia down`)");
        }
        try {
            Files.deleteIfExists(stateFile);
        } catch (IOException e) {
            throw new StackException("cannot remove the stale state file " + stateFile + ": " + e, e);
        }
    }

    private static StackInfo awaitState(Process process, Path stateFile, Duration timeout, Path log, long logStart) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new StackException("the local stack exited with code " + process.exitValue()
                        + " before it was up:\n" + logTail(log, logStart));
            }
            if (Files.exists(stateFile)) {
                StackInfo info = StackInfo.read(stateFile);
                if (info.pid() == process.pid()) {
                    return info;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for the local stack", e);
            }
        }
        throw new StackException("the local stack did not come up within " + timeout.toSeconds() + " s (a slow or"
                + " busy machine? raise the start timeout); its log " + log + " ends with:\n" + logTail(log, logStart));
    }

    /** What this run wrote to the log (at most the last 4 KB): the reason a start failed. */
    private static String logTail(Path log, long from) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(from, file.length() - 4096);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** SIGTERM, then a kill after {@code timeout}; true when the process ended by itself. */
    private static boolean terminate(ProcessHandle handle, Duration timeout) {
        if (!handle.isAlive()) {
            return true;
        }
        handle.destroy();
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            handle.destroyForcibly();
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * Guards against pid reuse (a stale state file naming a pid the OS gave to something else): the
     * command line must be a stack's; when the OS does not tell it, both ports must answer.
     */
    private static boolean looksLikeLocalStack(ProcessHandle handle, StackInfo info) {
        return handle.info().commandLine()
                .map(c -> c.contains("--data-dir") && c.contains("--state-file"))
                .orElseGet(() -> answers(kafkaAddress(info.kafkaBootstrap())) && answers(s3Address(info.s3Endpoint())));
    }

    private static InetSocketAddress kafkaAddress(String bootstrap) {
        int colon = bootstrap.lastIndexOf(':');
        return new InetSocketAddress(bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1)));
    }

    private static InetSocketAddress s3Address(String endpoint) {
        URI uri = URI.create(endpoint);
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    private static boolean answers(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
