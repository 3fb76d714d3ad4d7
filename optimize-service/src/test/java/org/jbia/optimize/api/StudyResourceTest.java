package org.jbia.optimize.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jbia.common.array.ImageStack;
import org.jbia.common.array.Npy;
import org.jbia.common.schema.DatasetRefs;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.ObjectRef;
import org.jbia.common.schema.Topics;
import org.jbia.common.schema.study.DataChanged;
import org.jbia.common.schema.study.ModelPublished;
import org.jbia.common.store.ObjectStore;
import org.jbia.optimize.service.InstantWorkers;
import org.jbia.optimize.service.LocalStackResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The study API against a real broker and store, with workers that answer at once: submissions
 * refused naming every problem, a study run to its final model, a silent worker's trial requeued,
 * and changed data retrained and published.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StudyResourceTest {
    private Path dir;
    private InstantWorkers workers;

    @BeforeAll
    void setUp() throws IOException {
        dir = Files.createTempDirectory("study-api");
        write("positive", 12, 1);
        write("negative", 30, 0);
        write("val_positive", 3, 1);
        write("val_negative", 6, 0);
        // A trial's loss grows with its distance from lr = 1e-4 (in decades). The worker abandons the first
        // attempt of trial 1 of the study marked by its decision threshold 0.37.
        workers = new InstantWorkers(LocalStackResource.info(), "instant@test",
                r -> Math.min(0.9, Math.abs(Math.log10(r.spec().lr()) + 4) / 3),
                r -> r.spec().threshold() == 0.37 && r.jobId().endsWith("-t1") && r.attempt() == 1);
    }

    @AfterAll
    void tearDown() {
        workers.close();
    }

    private void write(String name, int count, int label) {
        ImageStack s = ImageStack.zeros(count, 16, 16, 1);
        java.util.Random random = new java.util.Random(count);
        float[] px = s.pixels();
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (random.nextGaussian() + label);
        }
        Npy.write(s, dir.resolve(name + ".npy"));
    }

    private RequestSpecification study(String specJson, String... arrays) {
        RequestSpecification r = given().multiPart("spec", specJson, "application/json");
        for (String a : arrays) {
            r = r.multiPart(a, dir.resolve(a + ".npy").toFile(), "application/octet-stream");
        }
        return r;
    }

    private static JsonNode json(Response r) {
        try {
            return JsonCodec.mapper().readTree(r.asString());
        } catch (IOException e) {
            throw new AssertionError(r.asString(), e);
        }
    }

    private static JsonNode awaitPhase(String id, String... phases) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = json(given().get("/studies/" + id));
            return List.of(phases).contains(last[0].path("phase").asText());
        });
        return last[0];
    }

    @Test
    void badStudiesAreRefusedNamingEveryFieldValueAndWhatIsAllowed() {
        Response r = study("{\"optimize\": {\"n_iter\": 0, \"batch_min\": 9, \"batch_max\": 3, \"opt_cv\": 3, "
                + "\"choices\": {\"optimizer\": []}, \"monitor1_thresh\": 0.9, \"metric\": \"val_loss\"}}",
                "positive", "negative").post("/studies");
        assertThat(r.statusCode()).isEqualTo(400);
        List<String> problems = new ArrayList<>();
        json(r).path("problems").forEach(p -> problems.add(p.asText()));
        assertThat(problems).contains(
                "optimize.n_iter = 0 is not allowed: it must be >= 1 (the number of trials)",
                "optimize.batch_min = 9 is not allowed: it must be <= batch_max (3)",
                "optimize.choices.optimizer = [] is not allowed: a categorical parameter needs at least one choice",
                "optimize.opt_cv = 3 is not allowed: it rotates the validation data through the training data, and "
                        + "none was given: upload val_positive and/or val_negative, or leave opt_cv out",
                "optimize.metric = 'val_loss' is not allowed: it needs validation data (val_positive/val_negative); "
                        + "without it use the metric without val_");
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("optimize.monitor1_thresh = 0.9 is not allowed: "
                + "a threshold needs monitor1"));
        assertThat(problems).hasSize(6);

        Response unknown = study("{\"train\": {\"clf\": \"custom_cnn\"}, \"optimize\": {\"fixed\": "
                + "{\"filters_1\": 32}, \"image_size_max\": 40, \"opt_aug\": true}}", "positive", "negative")
                .post("/studies");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.asString()).contains("optimize.fixed.filters_1 = 32 is not allowed: not a parameter of "
                + "this study; its parameters are num_aug, image_size, batch_size, lr,")
                .contains("optimize.image_size_max = 40 is not allowed: the images are 16x16, so it must be <= 16")
                .contains("optimize.image_size_min = 50 is not allowed: it must be <= image_size_max (40)");

        assertThat(given().get("/studies/study-nobody").statusCode()).isEqualTo(404);
    }

    @Test
    void aStudyRunsItsTrialsThenItsFinalFitAndShowsItsResults() {
        Response r = study("{\"name\": \"api\", \"seed\": 11, \"train\": {\"clf\": \"custom_cnn\"}, \"optimize\": "
                + "{\"n_iter\": 6, \"n_parallel\": 2, \"train_epochs\": 2, \"epochs\": 3, \"opt_model\": false, "
                + "\"metric\": \"val_loss\"}}", "positive", "negative", "val_positive", "val_negative").post("/studies");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(202);
        String id = json(r).path("id").asText();
        JsonNode done = awaitPhase(id, "COMPLETED", "FAILED");
        assertThat(done.path("phase").asText()).isEqualTo("COMPLETED");
        assertThat(done.path("finished").asInt()).isEqualTo(6);
        assertThat(done.path("complete").asInt()).isEqualTo(6);
        assertThat(done.path("models")).hasSize(1);

        JsonNode trials = json(given().get("/studies/" + id + "/trials"));
        assertThat(trials).hasSize(6);
        double best = -1;
        int bestNumber = -1;
        for (JsonNode t : trials) {
            assertThat(t.path("state").asText()).isEqualTo("COMPLETE");
            assertThat(t.path("workers").get(0).asText()).isEqualTo("instant@test");
            double lr = t.path("params").path("lr").asDouble();
            double expected = 1 - Math.min(0.9, Math.abs(Math.log10(lr) + 4) / 3);
            assertThat(t.path("value").asDouble()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
            if (t.path("value").asDouble() > best) {
                best = t.path("value").asDouble();
                bestNumber = t.path("number").asInt();
            }
        }
        assertThat(done.path("best").path("number").asInt()).isEqualTo(bestNumber);
        assertThat(done.path("importances").has("lr")).isTrue();

        String csv = given().get("/studies/" + id + "/trials.csv").asString();
        assertThat(csv.split("\n")).hasSize(7);
        assertThat(csv).startsWith("number,state,value,best_so_far,");

        byte[] model = given().get("/studies/" + id + "/model").asByteArray();
        assertThat(new String(model, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("model of " + id + "-final");
        assertThat(json(given().get("/studies")).findValuesAsText("id")).contains(id);
    }

    @Test
    void aTrialWhoseWorkerFallsSilentIsRequeuedAndTheStudyStillRunsExactlyNIter() {
        Response r = study("{\"name\": \"silent\", \"train\": {\"clf\": \"alexnet\", \"threshold\": 0.37}, "
                + "\"optimize\": "
                + "{\"n_iter\": 3, \"n_parallel\": 3, \"train_epochs\": 1, \"epochs\": 0, \"opt_model\": false}}",
                "positive", "negative").post("/studies");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(202);
        String id = json(r).path("id").asText();
        JsonNode done = awaitPhase(id, "COMPLETED", "FAILED");
        assertThat(done.path("phase").asText()).isEqualTo("COMPLETED");
        assertThat(done.path("finished").asInt()).isEqualTo(3);
        JsonNode trial1 = json(given().get("/studies/" + id + "/trials")).get(1);
        assertThat(trial1.path("attempts").asInt()).isEqualTo(2);
        assertThat(trial1.path("notes").toString()).contains("went silent").contains("requeued as attempt 2");
    }

    @Test
    void changedDataOnKafkaRetrainsWithTheBestValuesAndPublishesTheModel() throws Exception {
        Response r = study("{\"name\": \"retrain\", \"train\": {\"clf\": \"alexnet\"}, \"optimize\": "
                + "{\"n_iter\": 2, \"train_epochs\": 1, \"epochs\": 1, \"opt_model\": false}}", "positive", "negative")
                .post("/studies");
        String id = json(r).path("id").asText();
        awaitPhase(id, "COMPLETED");
        var info = LocalStackResource.info();
        ObjectRef positives;
        try (ObjectStore store = new ObjectStore(info.s3Endpoint(), info.s3AccessKey(), info.s3SecretKey())) {
            ImageStack more = ImageStack.zeros(20, 16, 16, 1);
            positives = store.put("jbia", "incoming/more-positives.npy", Npy.write(more), more.shape(), "float32");
        }
        DataChanged change = new DataChanged(1, id, "more-lenses", new DatasetRefs(positives, null, null, null, null,
                null), "20 new lenses");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, info.kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(Topics.DATA_CHANGED, id, JsonCodec.encode(change))).get();
        }
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, info.kafkaBootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "published-" + id);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ModelPublished> published = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(Topics.MODEL_PUBLISHED));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> rec : consumer.poll(Duration.ofMillis(200))) {
                    ModelPublished m = JsonCodec.decodeEvent(rec.value(), ModelPublished.class);
                    if (m.studyId().equals(id)) {
                        published.add(m);
                    }
                }
                return !published.isEmpty();
            });
        }
        ModelPublished m = published.get(0);
        assertThat(m.requestId()).isEqualTo("more-lenses");
        assertThat(m.data().positive()).isEqualTo(positives);
        assertThat(m.job()).isEqualTo(id + "-retrain-1");
        assertThat(m.model().key()).isEqualTo("jobs/" + id + "-retrain-1/model/bundle.zip");
        JsonNode summary = json(given().get("/studies/" + id));
        assertThat(summary.path("retrains").get(0).path("published").asBoolean()).isTrue();
        assertThat(summary.path("history").toString()).contains("data changed (more-lenses: 20 new lenses)");
    }

    @Test
    void withOptCvEachFoldIsAJobAndTheFoldModelsAreKeptAsAnEnsemble() throws Exception {
        Response r = study("{\"name\": \"cv\", \"train\": {\"clf\": \"alexnet\", \"threshold\": 0.6}, \"optimize\": "
                + "{\"n_iter\": 2, \"n_parallel\": 2, \"train_epochs\": 1, \"epochs\": 1, \"opt_model\": false, "
                + "\"opt_cv\": 2}}", "positive", "negative", "val_positive", "val_negative").post("/studies");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(202);
        String id = json(r).path("id").asText();
        JsonNode done = awaitPhase(id, "COMPLETED", "FAILED");
        assertThat(done.path("phase").asText()).isEqualTo("COMPLETED");
        assertThat(done.path("models")).hasSize(2);
        JsonNode trial = json(given().get("/studies/" + id + "/trials")).get(0);
        assertThat(trial.path("jobs").toString()).contains(id + "-t0-f1").contains(id + "-t0-f2");

        java.util.Map<String, String> entries = new java.util.LinkedHashMap<>();
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(
                given().get("/studies/" + id + "/model").asByteArray()))) {
            for (java.util.zip.ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        assertThat(entries.keySet()).containsExactly("fold-1.zip", "fold-2.zip", "ensemble.json");
        assertThat(entries.get("fold-2.zip")).isEqualTo("model of " + id + "-final-f2");
        org.jbia.common.schema.study.Ensemble ensemble = JsonCodec.decode(entries.get("ensemble.json"),
                org.jbia.common.schema.study.Ensemble.class);
        assertThat(ensemble.members()).containsExactly("fold-1.zip", "fold-2.zip");
        assertThat(ensemble.threshold()).isEqualTo(0.6);
        assertThat(given().get("/studies/" + id + "/model?fold=1").asString()).isEqualTo("model of " + id + "-final-f1");
        Response bad = given().get("/studies/" + id + "/model?fold=3");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.asString()).contains("fold = 3 is not allowed: the study has 2 fold models, 1 to 2");
    }

    @Test
    void changedDataForAnUnknownStudyIsRefused() {
        assertThat(given().multiPart("positive", dir.resolve("positive.npy").toFile())
                .post("/studies/study-nobody/data").statusCode()).isEqualTo(404);
    }
}
