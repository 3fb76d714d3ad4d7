package org.jbia.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jbia.cli.client.JbiaClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bia bundle}: model bundles kept in the stack's object store apart from any job, so that a
 * model trained elsewhere (or downloaded earlier) can be shared and fetched back by id.
 */
@Command(name = "bundle", mixinStandardHelpOptions = true,
        description = "Store model bundles in the stack and fetch them back: bundle upload FILE, "
                + "bundle download ID|JOB_ID OUT.",
        subcommands = {BundleCommand.Upload.class, BundleCommand.Download.class})
public class BundleCommand {

    /** {@code bia bundle upload FILE [--name N]}. */
    @Command(name = "upload", mixinStandardHelpOptions = true,
            description = "Store a model bundle zip (as `bia download` or `bia bundle download` wrote it) in the "
                    + "stack's object store; prints its id and key. The service refuses files that are not bundles.")
    public static class Upload implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The model bundle zip.")
        Path file;

        @Option(names = "--name", description = "A name to know the model by (default: the file's name).")
        String name;

        @Mixin
        StackOptions stack;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("FILE " + file + ": no such file (give the model bundle zip)");
            }
            JsonNode model = stack.client().uploadModel(file, name);
            JsonNode ref = model.path("bundle");
            System.out.println("id: " + model.path("id").asText());
            System.out.println("key: s3://" + ref.path("bucket").asText() + "/" + ref.path("key").asText());
            System.out.println("name: " + model.path("name").asText() + ", backend: " + model.path("backend").asText()
                    + ", " + ref.path("size").asLong() + " bytes, sha256 " + ref.path("sha256").asText());
            return 0;
        }
    }

    /** {@code bia bundle download ID|JOB_ID OUT}. */
    @Command(name = "download", mixinStandardHelpOptions = true,
            description = "Fetch a model bundle by the id `bia bundle upload` printed, or a job's trained model by "
                    + "the job id, into OUT.")
    public static class Download implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "A stored model's id, or a job id.")
        String id;

        @Parameters(index = "1", paramLabel = "OUT", description = "The file to write.")
        Path out;

        @Mixin
        StackOptions stack;

        @Override
        public Integer call() {
            JbiaClient client = stack.client();
            byte[] bytes;
            String source;
            try {
                bytes = client.storedModel(id);
                source = "stored model " + id;
            } catch (JbiaClient.ApiException e) {
                if (e.status() != 404) {
                    throw e;
                }
                try {
                    bytes = client.model(id);
                    source = "the model of job " + id;
                } catch (JbiaClient.ApiException jobError) {
                    if (jobError.status() != 404) {
                        throw jobError;
                    }
                    throw new IllegalArgumentException("ID " + id + ": no stored model and no job with a model has "
                            + "that id (" + jobError.body() + ")");
                }
            }
            try {
                Files.write(out, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
            }
            System.out.println("wrote " + source + " to " + out.toAbsolutePath() + " (" + bytes.length + " bytes)");
            return 0;
        }
    }
}
