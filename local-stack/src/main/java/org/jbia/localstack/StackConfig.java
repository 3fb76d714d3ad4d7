package org.jbia.localstack;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link LocalStack} is started with. Port 0 means "pick a free one"; null credentials mean
 * "generate a fresh pair for this run".
 *
 * @param dataDir    where the broker's log ({@code DATA/kafka}) and the S3 objects ({@code DATA/s3}) live;
 *                   restarting on the same directory keeps both
 * @param kafkaPort  the broker's client port on 127.0.0.1, or 0
 * @param s3Port     the S3 server's port on 127.0.0.1, or 0
 * @param accessKey  the S3 access key every client must sign with, or null
 * @param secretKey  the matching secret key, or null
 * @param topics     topics created (if missing) once the broker answers
 * @param partitions partitions of those topics, and of topics created on first use
 */
public record StackConfig(Path dataDir, int kafkaPort, int s3Port, String accessKey, String secretKey,
                          List<String> topics, int partitions) {

    /** Kafka's default is 1; several consumer instances need several partitions to share a topic. */
    public static final int DEFAULT_PARTITIONS = 4;

    public StackConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        topics = topics == null ? List.of() : List.copyOf(topics);
        checkPort("kafka port", kafkaPort);
        checkPort("s3 port", s3Port);
        if ((accessKey == null) != (secretKey == null)) {
            throw new LocalStackException("access key and secret key must be given together (or neither, to generate"
                    + " a pair); got only the " + (accessKey == null ? "secret key" : "access key"));
        }
        if (accessKey != null && (accessKey.isBlank() || secretKey.isBlank())) {
            throw new LocalStackException("access key and secret key must not be blank");
        }
        if (partitions < 1) {
            throw new LocalStackException("partitions is " + partitions + "; it must be at least 1");
        }
    }

    /** Free ports, generated credentials, no topics, {@value #DEFAULT_PARTITIONS} partitions. */
    public static StackConfig of(Path dataDir) {
        return new StackConfig(dataDir, 0, 0, null, null, List.of(), DEFAULT_PARTITIONS);
    }

    public StackConfig withPorts(int kafka, int s3) {
        return new StackConfig(dataDir, kafka, s3, accessKey, secretKey, topics, partitions);
    }

    public StackConfig withCredentials(String access, String secret) {
        return new StackConfig(dataDir, kafkaPort, s3Port, access, secret, topics, partitions);
    }

    public StackConfig withTopics(List<String> names, int partitionCount) {
        return new StackConfig(dataDir, kafkaPort, s3Port, accessKey, secretKey, names, partitionCount);
    }

    private static void checkPort(String what, int port) {
        if (port < 0 || port > 65535) {
            throw new LocalStackException(what + " is " + port + "; it must be 0 (pick a free one) or 1 to 65535");
        }
    }
}
