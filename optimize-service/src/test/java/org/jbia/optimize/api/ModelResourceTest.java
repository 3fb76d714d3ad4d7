package org.jbia.optimize.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jbia.common.schema.JsonCodec;
import org.jbia.optimize.service.LocalStackResource;
import org.junit.jupiter.api.Test;

/** Model bundles over REST against a real S3 server: stored and returned byte for byte, bad ones refused. */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
class ModelResourceTest {

    /** A zip with the given entries, in order. */
    private static byte[] zip(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** The entries of a bundle as train-service writes it; the server reads only the manifest. */
    private static Map<String, String> bundleEntries(String manifest) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("manifest.json", manifest);
        e.put("network.json", "{\"name\":\"alexnet\"}");
        e.put("preprocessing.json", "{\"size\":67,\"bands\":3}");
        e.put("train_spec.json", "{}");
        e.put("report.json", "{}");
        e.put("model.bin", "weights " + manifest.hashCode());
        return e;
    }

    private static final String MANIFEST = "{\"format\":\"jbia-model\",\"version\":1,\"backend\":\"dl4j\",\"threshold\":0.5}";

    private static Response upload(byte[] content, String fileName, String name) {
        var request = given().multiPart("bundle", fileName, content, "application/zip");
        if (name != null) {
            request = request.multiPart("name", name);
        }
        return request.when().post("/models");
    }

    private static JsonNode json(Response r) throws IOException {
        return JsonCodec.mapper().readTree(r.asString());
    }

    @Test
    void aBundleIsStoredAndReturnedByteForByte() throws IOException {
        byte[] bundle = zip(bundleEntries(MANIFEST));
        Response r = upload(bundle, "lenses.zip", "lens finder v1");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        JsonNode model = json(r);
        String id = model.path("id").asText();
        assertThat(id).startsWith("model-");
        assertThat(r.header("Location")).endsWith("/models/" + id);
        assertThat(model.path("name").asText()).isEqualTo("lens finder v1");
        assertThat(model.path("backend").asText()).isEqualTo("dl4j");
        assertThat(model.path("bundle").path("key").asText()).isEqualTo("models/" + id + "/bundle.zip");
        assertThat(model.path("bundle").path("size").asLong()).isEqualTo(bundle.length);

        byte[] back = given().when().get("/models/" + id).then().statusCode(200).contentType("application/zip")
                .extract().asByteArray();
        assertThat(back).isEqualTo(bundle);
        JsonNode all = json(given().when().get("/models"));
        assertThat(all.findValuesAsText("id")).contains(id);
    }

    @Test
    void withoutANameTheFileNameNamesTheModel() throws IOException {
        Response r = upload(zip(bundleEntries(MANIFEST)), "candidates.zip", null);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(json(r).path("name").asText()).isEqualTo("candidates.zip");
    }

    private static String refused(Response r) throws IOException {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        return json(r).path("problems").toString();
    }

    @Test
    void aFileThatIsNotAZipIsRefusedNamingIt() throws IOException {
        String problems = refused(upload("ra,dec\n1,2\n".getBytes(StandardCharsets.UTF_8), "notes.csv", "x"));
        assertThat(problems).contains("bundle: notes.csv").contains("not a zip archive");
    }

    @Test
    void aZipWithoutManifestIsRefusedNamingWhatItHolds() throws IOException {
        String problems = refused(upload(zip(Map.of("model.bin", "w", "readme.txt", "hi")), "weights.zip", null));
        assertThat(problems).contains("bundle: weights.zip has no manifest.json").contains("model.bin, readme.txt");
    }

    @Test
    void aManifestOfAnotherFormatOrVersionIsRefused() throws IOException {
        String problems = refused(upload(zip(bundleEntries("{\"format\":\"keras\",\"version\":7}")), "m.zip", null));
        assertThat(problems).contains("manifest format \\\"keras\\\"; expected \\\"jbia-model\\\"")
                .contains("manifest version 7; this service reads versions 1 to 1");
    }

    @Test
    void aBundleWithoutItsModelIsRefused() throws IOException {
        Map<String, String> entries = bundleEntries(MANIFEST);
        entries.remove("model.bin");
        assertThat(refused(upload(zip(entries), "m.zip", null))).contains("m.zip has no model.bin");
    }

    @Test
    void aBlankNameIsRefusedSayingWhatIsAllowed() throws IOException {
        assertThat(refused(upload(zip(bundleEntries(MANIFEST)), "m.zip", " ")))
                .contains("name = ' ' is not allowed: give 1 to 200 printable characters");
    }

    @Test
    void anUploadWithoutAFileIsRefused() throws IOException {
        Response r = given().multiPart("name", "empty").when().post("/models");
        assertThat(refused(r)).contains("bundle: no file");
    }

    @Test
    void anUnknownIdIsNotFound() {
        Response r = given().when().get("/models/model-000000000000");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.asString()).contains("no model with id 'model-000000000000'");
    }
}
