package org.jbia.common.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jbia.common.schema.ObjectRef;
import org.jbia.common.schema.Topics;
import org.jbia.common.store.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Launches the real {@code local-stack.jar}, which the reactor builds before this module. In a
 * build of this module alone without it, these tests fail with the "run mvn package" message.
 */
class LocalStackProcessTest {

    @TempDir
    Path dir;

    @Test
    void launchesTheStackCreatesEveryTopicAndStopsItCleanly() throws Exception {
        Path data = dir.resolve("data");
        StackInfo info;
        try (LocalStackProcess stack = LocalStackProcess.start(LocalStackProcess.Settings.of(data).withPartitions(2))) {
            info = stack.info();
            assertThat(info.pid()).isEqualTo(stack.pid());
            assertThat(Path.of(info.dataDir())).isEqualTo(data.toAbsolutePath().normalize());
            assertThat(LocalStackProcess.read(stack.stateFile())).isEqualTo(info);
            assertThat(LocalStackProcess.isAlive(info)).isTrue();
            assertThat(LocalStackProcess.running(stack.stateFile())).contains(info);

            // every jBIA topic exists with the requested partitions: one log directory per partition
            for (String topic : Topics.ALL) {
                assertThat(eventually(data.resolve("kafka").resolve(topic + "-0"))).isDirectory();
                assertThat(eventually(data.resolve("kafka").resolve(topic + "-1"))).isDirectory();
                assertThat(data.resolve("kafka").resolve(topic + "-2")).doesNotExist();
            }

            try (ObjectStore store = new ObjectStore(info.s3Endpoint(), info.s3AccessKey(), info.s3SecretKey())) {
                store.ensureBucket("bia-test");
                byte[] bytes = "claim check".getBytes(StandardCharsets.UTF_8);
                ObjectRef ref = store.put("bia-test", "a/b.bin", bytes, new int[0], "bin");
                assertThat(store.get(ref)).isEqualTo(bytes);
            }

            // a second stack on the same files would fight over the broker's log dir
            assertThatThrownBy(() -> LocalStackProcess.start(data))
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("already running")
                    .hasMessageContaining("pid " + info.pid());
        }
        assertThat(ProcessHandle.of(info.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(LocalStackProcess.defaultStateFile(data)).doesNotExist();
        assertThat(LocalStackProcess.isAlive(info)).isFalse();
        assertThat(LocalStackProcess.stop(info, Duration.ofSeconds(1))).isFalse();
        assertThat(LocalStackProcess.logFile(data)).content().contains("local-stack: Kafka at " + info.kafkaBootstrap());
    }

    /** The broker creates a partition's directory as it takes the lead, a moment after the topic exists. */
    private static Path eventually(Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.isDirectory(dir) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return dir;
    }

    @Test
    void aStackThatCannotStartReportsTheChildsReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> LocalStackProcess.start(LocalStackProcess.Settings.of(dir).withPorts(port, 0)))
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("exited with code 1")
                    .hasMessageContaining("kafka port " + port + " on 127.0.0.1 is already in use");
        }
        assertThat(LocalStackProcess.defaultStateFile(dir)).doesNotExist();
    }

    @Test
    void aMissingJarSaysToRunMavenPackage() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("project/sub"));
        assertThatThrownBy(() -> LocalStackProcess.locateJar(null, empty))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("no local-stack/target/local-stack.jar in " + empty)
                .hasMessageContaining("mvn package");
        assertThatThrownBy(() -> LocalStackProcess.locateJar(dir.resolve("x.jar").toString(), empty))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("-Dbia.localstack.jar=" + dir.resolve("x.jar") + " is not a file");
    }

    @Test
    void theJarIsFoundFromASubdirectoryOfTheProject() throws Exception {
        Path root = dir.resolve("project");
        Path jar = root.resolve("local-stack/target/local-stack.jar");
        Files.createDirectories(jar.resolveSibling("lib"));
        Files.writeString(jar, "not really a jar");
        assertThat(LocalStackProcess.locateJar(null, Files.createDirectories(root.resolve("cli/target"))))
                .isEqualTo(jar);
    }

    @Test
    void aStaleStateFileOfADeadProcessIsNotAlive() {
        // this JVM's own pid runs, but it is not a stack and nothing listens on these ports
        StackInfo stale = new StackInfo("127.0.0.1:1", "http://127.0.0.1:1", "k", "s",
                ProcessHandle.current().pid(), dir.toString());
        assertThat(LocalStackProcess.isAlive(stale)).isFalse();
        assertThat(LocalStackProcess.stop(stale, Duration.ofSeconds(1))).isFalse();
    }

    @Test
    void badSettingsAreRefusedNamingTheValue() {
        LocalStackProcess.Settings settings = LocalStackProcess.Settings.of(dir);
        assertThatThrownBy(() -> settings.withPorts(70000, 0)).hasMessageContaining("port 70000 is not allowed");
        assertThatThrownBy(() -> settings.withPartitions(0)).hasMessageContaining("partitions = 0 is not allowed");
        assertThatThrownBy(() -> settings.withCredentials("k", null)).hasMessageContaining("give both");
        assertThatThrownBy(() -> settings.withStartTimeout(Duration.ZERO))
                .hasMessageContaining("startTimeout = PT0S is not allowed");
    }
}
