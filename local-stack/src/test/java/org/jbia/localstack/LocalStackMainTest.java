package org.jbia.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command-line parsing and the state file, without starting servers. */
class LocalStackMainTest {

    @TempDir
    Path dir;

    @Test
    void parsesEveryOptionInBothSpellings() {
        LocalStackMain.Launch launch = LocalStackMain.Launch.parse(new String[] {
            "--data-dir", "/d", "--state-file=/s.json", "--kafka-port", "19092", "--s3-port=19000",
            "--access-key", "k", "--secret-key", "s", "--topics", "a, b,,c", "--partitions", "6"});
        StackConfig c = launch.config();
        assertThat(c.dataDir()).isEqualTo(Path.of("/d"));
        assertThat(launch.stateFile()).isEqualTo(Path.of("/s.json"));
        assertThat(c.kafkaPort()).isEqualTo(19092);
        assertThat(c.s3Port()).isEqualTo(19000);
        assertThat(c.accessKey()).isEqualTo("k");
        assertThat(c.secretKey()).isEqualTo("s");
        assertThat(c.topics()).containsExactly("a", "b", "c");
        assertThat(c.partitions()).isEqualTo(6);
    }

    @Test
    void defaultsAreFreePortsGeneratedCredentialsAndFourPartitions() {
        StackConfig c = LocalStackMain.Launch.parse(new String[] {"--data-dir", "d", "--state-file", "s"}).config();
        assertThat(c.kafkaPort()).isZero();
        assertThat(c.s3Port()).isZero();
        assertThat(c.accessKey()).isNull();
        assertThat(c.topics()).isEmpty();
        assertThat(c.partitions()).isEqualTo(4);
    }

    @Test
    void rejectsBadCommandLinesNamingTheOptionAndWhatIsAllowed() {
        assertRejected("option --data-dir is required", "--state-file", "s");
        assertRejected("option --state-file is required", "--data-dir", "d");
        assertRejected("unknown option '--kafka'; allowed: --data-dir", "--data-dir", "d", "--state-file", "s", "--kafka", "1");
        assertRejected("option --partitions needs a value", "--data-dir", "d", "--state-file", "s", "--partitions");
        assertRejected("option --kafka-port is 'x'; it must be a whole number",
                "--data-dir", "d", "--state-file", "s", "--kafka-port", "x");
        assertRejected("kafka port is 70000; it must be 0 (pick a free one) or 1 to 65535",
                "--data-dir", "d", "--state-file", "s", "--kafka-port", "70000");
        assertRejected("s3 port is -1", "--data-dir", "d", "--state-file", "s", "--s3-port", "-1");
        assertRejected("partitions is 0; it must be at least 1", "--data-dir", "d", "--state-file", "s", "--partitions", "0");
        assertRejected("got only the access key", "--data-dir", "d", "--state-file", "s", "--access-key", "k");
        assertRejected("got only the secret key", "--data-dir", "d", "--state-file", "s", "--secret-key", "k");
        assertRejected("option --data-dir is given twice", "--data-dir", "d", "--data-dir", "e", "--state-file", "s");
    }

    @Test
    void jsonStringsAreEscaped() {
        assertThat(LocalStackMain.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    @Test
    void theStateFileIsReplacedWholeAndNoTemporaryFileStays() throws Exception {
        Path state = dir.resolve("sub/stack.json");
        LocalStackMain.writeAtomically(state, "{\"a\": 1}\n");
        LocalStackMain.writeAtomically(state, "{\"b\": 2}\n");
        assertThat(Files.readString(state)).isEqualTo("{\"b\": 2}\n");
        try (var files = Files.list(state.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).isEqualTo(List.of("stack.json"));
        }
    }

    @Test
    void anUnwritableStateFileIsReportedNamingIt() throws Exception {
        Path blocker = Files.writeString(dir.resolve("file"), "x");
        Path state = blocker.resolve("stack.json");
        assertThatThrownBy(() -> LocalStackMain.writeAtomically(state, "{}"))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("cannot write the state file " + state);
    }

    private static void assertRejected(String message, String... args) {
        assertThatThrownBy(() -> LocalStackMain.Launch.parse(args))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining(message);
    }
}
