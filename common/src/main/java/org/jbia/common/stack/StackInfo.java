package org.jbia.common.stack;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.MalformedEventException;

/**
 * Where a running local stack listens: the content of the state file that {@code local-stack.jar}
 * writes once its Kafka broker and S3 server answer, and deletes when it stops.
 *
 * @param kafkaBootstrap {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}
 * @param s3Endpoint     {@code http://127.0.0.1:PORT}
 * @param s3AccessKey    the access key requests must be signed with
 * @param s3SecretKey    its secret key
 * @param pid            the stack's process id (boxed so that a file without it reads as "pid is missing")
 * @param dataDir        the directory holding the broker log and the objects
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
// a newer stack may add fields; an older bia must still find the ones it knows
@JsonIgnoreProperties(ignoreUnknown = true)
public record StackInfo(String kafkaBootstrap, String s3Endpoint, String s3AccessKey, String s3SecretKey,
                        Long pid, String dataDir) {

    /** Reads and checks a state file; the error names the file and what is wrong with it. */
    public static StackInfo read(Path stateFile) {
        String json;
        try {
            json = Files.readString(stateFile);
        } catch (NoSuchFileException e) {
            throw new StackException("no local stack state file at " + stateFile + " (is the stack running? start it"
                    + " with `bia up`)");
        } catch (IOException e) {
            throw new StackException("cannot read the local stack state file " + stateFile + ": " + e, e);
        }
        StackInfo info;
        try {
            info = JsonCodec.decode(json, StackInfo.class);
        } catch (MalformedEventException e) {
            throw new StackException("the local stack state file " + stateFile + " is damaged: " + e.getMessage(), e);
        }
        List<String> problems = info.problems();
        if (!problems.isEmpty()) {
            throw new StackException("the local stack state file " + stateFile + " is damaged: "
                    + String.join("; ", problems));
        }
        return info;
    }

    /** Writes the state file so that a reader polling for it never sees it half written. */
    public void write(Path stateFile) {
        Path target = stateFile.toAbsolutePath();
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(tmp, JsonCodec.encodePretty(this));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new StackException("cannot write the local stack state file " + target + ": " + e, e);
        }
    }

    /**
     * The environment variables the services read their addresses and credentials from, as
     * docker-compose sets them for the real Kafka and MinIO.
     */
    public Map<String, String> serviceEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        env.put("BIA_S3_ENDPOINT", s3Endpoint);
        env.put("BIA_S3_ACCESS_KEY", s3AccessKey);
        env.put("BIA_S3_SECRET_KEY", s3SecretKey);
        return env;
    }

    /** Every missing or malformed field, each named. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (kafkaBootstrap == null || !kafkaBootstrap.matches("[^:\\s]+:\\d{1,5}")) {
            problems.add("kafka_bootstrap = " + kafkaBootstrap + " is not host:port");
        }
        if (s3Endpoint == null || !s3Endpoint.matches("https?://[^:/\\s]+:\\d{1,5}/?")) {
            problems.add("s3_endpoint = " + s3Endpoint + " is not http://host:port");
        }
        if (s3AccessKey == null || s3AccessKey.isBlank()) {
            problems.add("s3_access_key is missing");
        }
        if (s3SecretKey == null || s3SecretKey.isBlank()) {
            problems.add("s3_secret_key is missing");
        }
        if (pid == null) {
            problems.add("pid is missing");
        } else if (pid <= 0) {
            problems.add("pid = " + pid + " is not a process id (it must be > 0)");
        }
        if (dataDir == null || dataDir.isBlank()) {
            problems.add("data_dir is missing");
        }
        return problems;
    }

    /** Leaves the secret key out: this string ends up in logs. */
    @Override
    public String toString() {
        return "StackInfo[kafka " + kafkaBootstrap + ", s3 " + s3Endpoint + " (access key " + s3AccessKey
                + "), pid " + pid + ", data " + dataDir + "]";
    }
}
