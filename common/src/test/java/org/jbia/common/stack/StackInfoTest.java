package org.jbia.common.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackInfoTest {
    private static final StackInfo INFO = new StackInfo("127.0.0.1:39092", "http://127.0.0.1:39000", "AKEY",
            "s3cr3t", 4242L, "/data/stack");

    @TempDir
    Path dir;

    @Test
    void readsTheSnakeCaseFileLocalStackWrites() throws Exception {
        // the exact layout LocalStackMain writes, including a field this version does not know
        Path file = Files.writeString(dir.resolve("stack.json"), """
                {
                  "kafka_bootstrap": "127.0.0.1:39092",
                  "s3_endpoint": "http://127.0.0.1:39000",
                  "s3_access_key": "AKEY",
                  "s3_secret_key": "s3cr3t",
                  "pid": 4242,
                  "data_dir": "/data/stack",
                  "added_later": true
                }
                """);
        assertThat(StackInfo.read(file)).isEqualTo(INFO);
    }

    @Test
    void writeThenReadGivesTheSameInfoAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("sub/stack.json");
        INFO.write(file);
        assertThat(Files.readString(file)).contains("\"kafka_bootstrap\"", "\"s3_secret_key\"", "\"data_dir\"");
        assertThat(LocalStackProcess.read(file)).isEqualTo(INFO);
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("stack.json");
        }
    }

    @Test
    void aMissingFileSaysHowToStartTheStack() {
        Path file = dir.resolve("nope.json");
        assertThatThrownBy(() -> StackInfo.read(file))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("no local stack state file at " + file)
                .hasMessageContaining("bia up");
    }

    @Test
    void aDamagedFileIsReportedNamingTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("stack.json"), "{\"kafka_bootstrap\": ");
        assertThatThrownBy(() -> StackInfo.read(file))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("state file " + file + " is damaged");
    }

    @Test
    void missingAndMalformedFieldsAreEachNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("stack.json"),
                "{\"kafka_bootstrap\": \"localhost\", \"s3_endpoint\": \"ftp://x\", \"s3_access_key\": \"k\"}");
        assertThatThrownBy(() -> StackInfo.read(file))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("kafka_bootstrap = localhost is not host:port")
                .hasMessageContaining("s3_endpoint = ftp://x is not http://host:port")
                .hasMessageContaining("s3_secret_key is missing")
                .hasMessageContaining("pid is missing")
                .hasMessageContaining("data_dir is missing")
                .hasMessageNotContaining("s3_access_key");
    }

    @Test
    void aPidThatIsNoProcessIdIsNamed() throws Exception {
        Path file = dir.resolve("stack.json");
        new StackInfo("127.0.0.1:1", "http://127.0.0.1:2", "k", "s", -3L, "/d").write(file);
        assertThatThrownBy(() -> StackInfo.read(file)).hasMessageContaining("pid = -3 is not a process id");
    }

    @Test
    void theServiceEnvironmentNamesTheVariablesDockerComposeSets() {
        assertThat(INFO.serviceEnvironment())
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:39092")
                .containsEntry("BIA_S3_ENDPOINT", "http://127.0.0.1:39000")
                .containsEntry("BIA_S3_ACCESS_KEY", "AKEY")
                .containsEntry("BIA_S3_SECRET_KEY", "s3cr3t")
                .hasSize(4);
    }

    @Test
    void toStringKeepsTheSecretOutOfLogs() {
        assertThat(INFO.toString()).contains("127.0.0.1:39092", "AKEY").doesNotContain("s3cr3t");
    }
}
