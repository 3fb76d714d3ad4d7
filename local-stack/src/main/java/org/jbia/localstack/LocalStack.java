package org.jbia.localstack;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * jBIA's embedded infrastructure: a real Kafka broker (KRaft, one node) and a real S3 server
 * (s3proxy, filesystem backend) in this JVM, on loopback ports. Services talk to it exactly as they
 * talk to a production Kafka and MinIO; only addresses and credentials differ.
 *
 * <p>Data lives under {@code DATA/kafka} and {@code DATA/s3}; starting again on the same directory
 * keeps every topic, committed offset, bucket and object.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.start(StackConfig.of(dir).withTopics(List.of("t"), 4))) {
 *     stack.kafkaBootstrap(); stack.s3Endpoint(); stack.accessKey(); stack.secretKey();
 * }
 * }</pre>
 */
public final class LocalStack implements AutoCloseable {
    private static final String KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SECRET_CHARS = KEY_CHARS + "abcdefghijklmnopqrstuvwxyz";

    private final Path dataDir;
    private final DataDirLock lock;
    private final KafkaBroker kafka;
    private final S3Server s3;
    private final String accessKey;
    private final String secretKey;
    private boolean closed;

    private LocalStack(Path dataDir, DataDirLock lock, KafkaBroker kafka, S3Server s3, String accessKey,
                       String secretKey) {
        this.dataDir = dataDir;
        this.lock = lock;
        this.kafka = kafka;
        this.s3 = s3;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /**
     * Starts both servers, waits until both answer and creates the configured topics. On failure
     * whatever already started is stopped again and a {@link LocalStackException} says why.
     */
    public static LocalStack start(StackConfig config) {
        for (String topic : config.topics()) {
            try {
                Topic.validate(topic);
            } catch (InvalidTopicException e) {
                throw new LocalStackException("topic '" + topic + "' is not a valid Kafka topic name: " + e.getMessage());
            }
        }
        Path dataDir = config.dataDir().toAbsolutePath().normalize();
        Path kafkaDir = writableDir(dataDir.resolve("kafka"));
        Path s3Dir = writableDir(dataDir.resolve("s3"));
        int kafkaPort = Ports.claim("kafka port", config.kafkaPort());
        int s3Port = Ports.claim("s3 port", config.s3Port());
        String accessKey = config.accessKey() != null ? config.accessKey() : random(KEY_CHARS, 20);
        String secretKey = config.secretKey() != null ? config.secretKey() : random(SECRET_CHARS, 40);

        // before any server touches the files: a second controller on the same metadata log corrupts it
        DataDirLock lock = DataDirLock.acquire(dataDir);
        S3Server s3;
        KafkaBroker kafka;
        try {
            s3 = S3Server.start(s3Dir, s3Port, accessKey, secretKey);
            try {
                kafka = KafkaBroker.start(kafkaDir, dataDir.resolve("kafka.properties"), kafkaPort, config.partitions());
            } catch (RuntimeException e) {
                s3.close();
                throw e;
            }
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        LocalStack stack = new LocalStack(dataDir, lock, kafka, s3, accessKey, secretKey);
        try {
            kafka.ensureTopics(config.topics(), config.partitions());
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
    public String kafkaBootstrap() {
        return kafka.bootstrap();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String s3Endpoint() {
        return s3.endpoint();
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The id the Kafka log dir was formatted with; the same across restarts on one data dir. */
    public String clusterId() {
        return kafka.clusterId();
    }

    /** Stops the S3 server, then the broker (controlled shutdown); safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            s3.close();
        } finally {
            try {
                kafka.close();
            } finally {
                lock.close();
            }
        }
    }

    private static Path writableDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (AccessDeniedException e) {
            throw new LocalStackException("cannot create data directory " + dir + ": permission denied");
        } catch (IOException e) {
            throw new LocalStackException("cannot create data directory " + dir + ": " + e, e);
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new LocalStackException("data directory " + dir + " is not a writable directory");
        }
        return dir;
    }

    private static String random(String alphabet, int length) {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
