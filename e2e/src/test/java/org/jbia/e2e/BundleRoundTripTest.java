package org.jbia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jbia.cli.Bia;
import org.jbia.cli.stack.JbiaStack;
import org.jbia.cli.stack.ProjectHome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bia bundle upload} and {@code download} against the running system: byte for byte, refusals named. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BundleRoundTripTest {
    @TempDir
    static Path dir;

    private Path data;
    private String url;

    @BeforeAll
    void up() {
        data = dir.resolve("bia");
        url = JbiaStack.up(ProjectHome.find(), data, Map.of(), false).apiUrl();
    }

    @AfterAll
    void down() {
        if (url != null) {
            JbiaStack.down(data);
        }
    }

    private record Result(int code, String out, String err) {
    }

    private Result bia(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = Bia.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(previous);
        }
    }

    private static byte[] zip(Map<String, String> entries) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void anUploadedBundleDownloadsByteForByte() throws Exception {
        byte[] bundle = zip(Map.of("manifest.json", "{\"format\":\"jbia-model\",\"version\":1,\"backend\":\"dl4j\"}",
                "network.json", "{}", "preprocessing.json", "{}", "model.bin", "weights"));
        Path file = Files.write(dir.resolve("finder.zip"), bundle);
        Result up = bia("bundle", "upload", file.toString(), "--name", "finder", "--url", url);
        assertThat(up.code()).as(up.err()).isZero();
        String id = up.out().lines().filter(l -> l.startsWith("id: ")).findFirst().orElseThrow().substring(4);
        assertThat(up.out()).contains("key: s3://").contains("/models/" + id + "/bundle.zip")
                .contains("name: finder, backend: dl4j");
        Path back = dir.resolve("back.zip");
        Result down = bia("bundle", "download", id, back.toString(), "--url", url);
        assertThat(down.code()).as(down.err()).isZero();
        assertThat(down.out()).contains("wrote stored model " + id);
        assertThat(Files.readAllBytes(back)).isEqualTo(bundle);
    }

    @Test
    void aFileThatIsNotABundleIsRefusedByTheService() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "ra,dec\n");
        Result r = bia("bundle", "upload", notes.toString(), "--url", url);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("HTTP 400").contains("bundle: notes.txt is not a zip archive");
    }

    @Test
    void anIdThatIsNeitherAModelNorAJobIsNamed() {
        Result r = bia("bundle", "download", "model-ffffffffffff", dir.resolve("x.zip").toString(), "--url", url);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("ID model-ffffffffffff: no stored model and no job with a model has that id");
    }
}
