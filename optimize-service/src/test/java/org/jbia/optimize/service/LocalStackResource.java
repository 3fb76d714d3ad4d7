package org.jbia.optimize.service;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jbia.common.stack.LocalStackProcess;
import org.jbia.common.stack.StackInfo;

/**
 * A real Kafka broker and S3 server (the project's local stack, as a child process) around the
 * optimize-service under test, with short leases and a fast study clock.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {
    private static StackInfo info;
    private LocalStackProcess stack;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("bia-optimize-test");
            stack = LocalStackProcess.start(LocalStackProcess.Settings.of(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        info = stack.info();
        return Map.of("kafka.bootstrap.servers", info.kafkaBootstrap(),
                "bia.s3.endpoint", info.s3Endpoint(),
                "bia.s3.access-key", info.s3AccessKey(),
                "bia.s3.secret-key", info.s3SecretKey(),
                "bia.train.lease-seconds", "5",
                "bia.train.lease-check", "1s",
                "bia.study.tick", "200ms");
    }

    @Override
    public void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Where the running stack is, for the tests' own clients. */
    public static StackInfo info() {
        return info;
    }
}
