package org.jbia.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jbia.cli.Bia;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bia bundle} without a running stack: what it refuses before any request. The round trip
 * through a running optimize-service is in e2e's BundleRoundTripTest; the endpoint itself in
 * optimize-service's ModelResourceTest.
 */
class BundleCommandTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    private int bia(String... args) {
        CommandLine cli = Bia.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(out, true));
        return cli.execute(args);
    }

    @Test
    void uploadingAMissingFileNamesIt() {
        assertThat(bia("bundle", "upload", dir.resolve("model.zip").toString(), "--url", "http://127.0.0.1:9")).isEqualTo(1);
        assertThat(err.toString()).contains("bia upload: FILE ").contains("model.zip: no such file");
    }

    @Test
    void withoutAStackTheCommandSaysHowToStartOne() throws Exception {
        Path bundle = Files.write(dir.resolve("b.zip"), new byte[] {1});
        Path data = Files.createDirectories(dir.resolve("no-stack"));
        assertThat(bia("bundle", "upload", bundle.toString(), "--data-dir", data.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no jBIA stack is running from " + data)
                .contains("start one with `./bia up`, or pass --url");
        assertThat(bia("bundle", "download", "model-1", dir.resolve("o.zip").toString(), "--data-dir",
                data.toString())).isEqualTo(1);
        assertThat(Files.exists(dir.resolve("o.zip"))).isFalse();
    }

    @Test
    void anUnreachableServiceIsNamed() throws Exception {
        Path bundle = Files.write(dir.resolve("b.zip"), new byte[] {1});
        assertThat(bia("bundle", "upload", bundle.toString(), "--url", "http://127.0.0.1:9")).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach jBIA at http://127.0.0.1:9/");
    }

    @Test
    void helpNamesBothSubcommands() {
        assertThat(bia("bundle", "--help")).isZero();
        assertThat(out.toString()).contains("upload").contains("download");
        assertThat(bia("--help")).isZero();
        assertThat(out.toString()).contains("predict").contains("bundle");
    }
}
