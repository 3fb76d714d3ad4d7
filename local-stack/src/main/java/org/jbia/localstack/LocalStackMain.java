package org.jbia.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar local-stack.jar --data-dir DIR --state-file FILE [options]}: starts a
 * {@link LocalStack}, writes where it listens to the state file (JSON) and runs until SIGTERM or
 * SIGINT, which stop both servers cleanly and delete the state file. Exit code 1 with a one-line
 * reason when it cannot start.
 */
public final class LocalStackMain {
    static final String USAGE = """
            usage: java -jar local-stack.jar --data-dir DIR --state-file FILE [--kafka-port P] [--s3-port P]
                   [--access-key K --secret-key S] [--topics t1,t2,...] [--partitions N]
              --data-dir DIR      broker log and S3 objects (DIR/kafka, DIR/s3); kept across restarts
              --state-file FILE   written (JSON) once both servers answer, deleted at shutdown
              --kafka-port P      broker port on 127.0.0.1 (0 or absent: a free one)
              --s3-port P         S3 port on 127.0.0.1 (0 or absent: a free one)
              --access-key K      S3 credentials (both or neither; neither: generated for this run)
              --secret-key S
              --topics LIST       topics to create if missing, comma-separated
              --partitions N      partitions of those topics and of auto-created ones (default 4)""";

    private LocalStackMain() {
    }

    public static void main(String[] args) {
        quietLogging();
        Launch launch;
        try {
            launch = Launch.parse(args);
        } catch (LocalStackException e) {
            System.err.println("local-stack: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(1);
            return;
        }
        LocalStack stack;
        try {
            stack = LocalStack.start(launch.config());
        } catch (LocalStackException e) {
            System.err.println("local-stack: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // the state file goes first, so nobody reads addresses that are about to close
            deleteQuietly(launch.stateFile());
            haltIfStuck(STOP_LIMIT_SECONDS);
            stack.close();
            System.err.println("local-stack: stopped");
            stopped.countDown();
        }, "local-stack-shutdown"));
        try {
            writeAtomically(launch.stateFile(), stateJson(stack, ProcessHandle.current().pid()));
        } catch (LocalStackException e) {
            System.err.println("local-stack: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.err.println("local-stack: Kafka at " + stack.kafkaBootstrap() + ", S3 at " + stack.s3Endpoint()
                + ", data in " + stack.dataDir() + ", state in " + launch.stateFile());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A stop that hangs (a broker waiting on a controller that is gone) must not keep the process, and
     * the ports and the data-dir lock, for minutes: halt after this long.
     */
    static final int STOP_LIMIT_SECONDS = 45;

    private static void haltIfStuck(int seconds) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000L);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("local-stack: did not stop within " + seconds + " s; halting");
            Runtime.getRuntime().halt(2);
        }, "local-stack-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Kafka logs a lot at INFO; WARN unless the caller set a level with -D. */
    private static void quietLogging() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.setProperty("org.slf4j.simpleLogger.showDateTime",
                System.getProperty("org.slf4j.simpleLogger.showDateTime", "true"));
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat",
                System.getProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS"));
    }

    /** The state file's JSON; the field names are what common's StackInfo reads. */
    static String stateJson(LocalStack stack, long pid) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("kafka_bootstrap", stack.kafkaBootstrap());
        fields.put("s3_endpoint", stack.s3Endpoint());
        fields.put("s3_access_key", stack.accessKey());
        fields.put("s3_secret_key", stack.secretKey());
        fields.put("pid", pid);
        fields.put("data_dir", stack.dataDir().toString());
        StringBuilder json = new StringBuilder("{\n");
        int i = 0;
        for (var e : fields.entrySet()) {
            json.append("  ").append(quote(e.getKey())).append(": ");
            json.append(e.getValue() instanceof Number n ? n.toString() : quote(e.getValue().toString()));
            json.append(++i < fields.size() ? ",\n" : "\n");
        }
        return json.append("}\n").toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Readers poll for the file: they must never see it half written. */
    static void writeAtomically(Path file, String content) {
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new LocalStackException("cannot write the state file " + target + ": " + e, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale state file is harmless: readers check that its pid is alive
        }
    }

    /** Parsed command line. */
    record Launch(StackConfig config, Path stateFile) {

        static Launch parse(String[] args) {
            Map<String, String> options = new LinkedHashMap<>();
            List<String> known = List.of("--data-dir", "--state-file", "--kafka-port", "--s3-port", "--access-key",
                    "--secret-key", "--topics", "--partitions");
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                String value = null;
                int eq = name.indexOf('=');
                if (name.startsWith("--") && eq > 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (!known.contains(name)) {
                    throw new LocalStackException("unknown option '" + name + "'; allowed: " + String.join(", ", known));
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new LocalStackException("option " + name + " needs a value");
                    }
                    value = args[++i];
                }
                if (options.put(name, value) != null) {
                    throw new LocalStackException("option " + name + " is given twice");
                }
            }
            String dataDir = required(options, "--data-dir");
            String stateFile = required(options, "--state-file");
            List<String> topics = new ArrayList<>();
            if (options.containsKey("--topics")) {
                Arrays.stream(options.get("--topics").split(",")).map(String::trim).filter(t -> !t.isEmpty())
                        .forEach(topics::add);
            }
            StackConfig config = new StackConfig(Path.of(dataDir),
                    integer(options, "--kafka-port", 0), integer(options, "--s3-port", 0),
                    options.get("--access-key"), options.get("--secret-key"), topics,
                    integer(options, "--partitions", StackConfig.DEFAULT_PARTITIONS));
            return new Launch(config, Path.of(stateFile));
        }

        private static String required(Map<String, String> options, String name) {
            String value = options.get(name);
            if (value == null || value.isBlank()) {
                throw new LocalStackException("option " + name + " is required");
            }
            return value;
        }

        private static int integer(Map<String, String> options, String name, int absent) {
            String value = options.get(name);
            if (value == null) {
                return absent;
            }
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new LocalStackException("option " + name + " is '" + value + "'; it must be a whole number");
            }
        }
    }
}
