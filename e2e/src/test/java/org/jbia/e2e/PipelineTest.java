package org.jbia.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jbia.cli.client.JbiaClient;
import org.jbia.cli.stack.JbiaStack;
import org.jbia.cli.stack.ProjectHome;
import org.jbia.cli.stack.ServiceProcess;
import org.jbia.common.array.ImageStack;
import org.jbia.common.array.Npy;
import org.jbia.common.schema.AugmentSpec;
import org.jbia.common.schema.JobSpec;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.ObjectRef;
import org.jbia.common.schema.Topics;
import org.jbia.common.schema.TrainSpec;
import org.jbia.common.store.ObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole system as it runs: the local stack and the three services as separate processes, jobs
 * submitted over REST, and services stopped and killed under running jobs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineTest {
    /** Short leases so that fault tests take seconds, not minutes. */
    private static final Map<String, String> ENV = Map.of("BIA_TRAIN_LEASE_SECONDS", "8",
            "BIA_TRAIN_HEARTBEAT_SECONDS", "1");
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(6);

    @TempDir
    static Path dir;

    private Path home;
    private Path data;
    private JbiaStack.State stack;
    private JbiaClient client;
    private ObjectStore store;

    @BeforeAll
    void up() throws Exception {
        home = ProjectHome.find();
        data = dir.resolve("bia");
        stack = JbiaStack.up(home, data, ENV, false);
        client = new JbiaClient(stack.apiUrl());
        store = new ObjectStore(stack.infra().s3Endpoint(), stack.infra().s3AccessKey(), stack.infra().s3SecretKey());
        writeClasses(dir, "small", 24, 24, 32, 3, 1);
        writeClasses(dir, "long", 96, 96, 32, 3, 2);
    }

    @AfterAll
    void down() {
        if (store != null) {
            store.close();
        }
        if (stack != null) {
            JbiaStack.down(data);
        }
    }

    @Test
    @Order(1)
    void malformedEventsGoToTheDeadLetterTopicWithTheReason() {
        List<String> poisoned = List.of(Topics.AUGMENT_REQUESTED, Topics.TRAIN_REQUESTED, Topics.AUGMENT_COMPLETED,
                Topics.TRAIN_PROGRESS, Topics.TRAIN_COMPLETED);
        try (KafkaProducer<String, String> producer = producer()) {
            for (String topic : poisoned) {
                producer.send(new ProducerRecord<>(topic, "poison-" + topic, "{not json"));
            }
            // Well-formed JSON that names a job nobody knows is refused too.
            producer.send(new ProducerRecord<>(Topics.TRAIN_COMPLETED, "poison-unknown",
                    "{\"version\":1,\"job_id\":\"job-nobody\",\"request_id\":\"job-nobody:train\",\"attempt\":1,"
                            + "\"worker\":\"w\",\"model\":null,\"report\":null,\"metrics\":{},\"epochs_run\":1,"
                            + "\"stop_reason\":\"epochs\"}"));
            producer.flush();
        }
        Map<String, String> reasons = new HashMap<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (ConsumerRecord<String, String> r : readAll(Topics.DEAD_LETTER)) {
                if (r.key() != null && r.key().startsWith("poison-")) {
                    reasons.put(r.key(), header(r, "dead-letter-reason"));
                }
            }
            assertThat(reasons).hasSize(poisoned.size() + 1);
        });
        for (String topic : poisoned) {
            assertThat(reasons.get("poison-" + topic)).as(topic).contains("not a valid");
        }
        assertThat(reasons.get("poison-unknown")).contains("no job with id 'job-nobody'");
    }

    @Test
    @Order(2)
    void aJobTravelsAugmentTrainResultAndItsEventsAppearInOrder() throws Exception {
        JobSpec spec = new JobSpec("e2e", augment(2, 28), augment(1, 28), smallNetwork(3), 7L);
        JsonNode job = awaitEnd(submit(spec, "small"));
        assertThat(job.path("state").asText()).isEqualTo("COMPLETED");
        String id = job.path("id").asText();

        ObjectRef model = JsonCodec.mapper().treeToValue(job.path("result").path("model"), ObjectRef.class);
        byte[] stored = store.get(model); // verifies size and SHA-256 against the reference
        assertThat(ObjectStore.sha256(stored)).isEqualTo(model.sha256());
        assertThat(client.model(id)).isEqualTo(stored);
        assertThat(job.path("result").path("metrics").has("val_loss")).isTrue();
        assertThat(job.path("epochs").size()).isEqualTo(3);

        List<ConsumerRecord<String, String>> events = new ArrayList<>();
        for (String topic : List.of(Topics.AUGMENT_REQUESTED, Topics.AUGMENT_COMPLETED, Topics.TRAIN_REQUESTED,
                Topics.TRAIN_PROGRESS, Topics.TRAIN_COMPLETED)) {
            readAll(topic).stream().filter(r -> id.equals(r.key())).forEach(events::add);
        }
        events.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
        List<String> order = new ArrayList<>();
        for (ConsumerRecord<String, String> r : events) {
            if (order.isEmpty() || !order.get(order.size() - 1).equals(r.topic())) {
                order.add(r.topic());
            }
        }
        assertThat(order).containsSubsequence(Topics.AUGMENT_REQUESTED, Topics.AUGMENT_COMPLETED,
                Topics.TRAIN_REQUESTED, Topics.TRAIN_PROGRESS, Topics.TRAIN_COMPLETED);
        assertThat(order.get(0)).isEqualTo(Topics.AUGMENT_REQUESTED);
        assertThat(order.get(order.size() - 1)).isEqualTo(Topics.TRAIN_COMPLETED);
        long epochEvents = events.stream().filter(r -> r.topic().equals(Topics.TRAIN_PROGRESS)
                && r.value().contains("\"phase\":\"EPOCH\"")).count();
        assertThat(epochEvents).isEqualTo(3);
    }

    @Test
    @Order(3)
    void badSubmissionsAreRefusedNamingTheField() throws Exception {
        Path notNpy = Files.writeString(dir.resolve("notes.npy"), "ra,dec\n1,2\n");
        writeStack(dir.resolve("other-size.npy"), 20, 30, 3, 0, 5);
        writeStack(dir.resolve("other-bands.npy"), 20, 32, 1, 0, 6);
        JobSpec ok = new JobSpec(null, null, null, smallNetwork(1), 1L);

        assertRefused(ok, Map.of("positive", dir.resolve("small-positive.npy")), "negative is missing");
        assertRefused(ok, arrays("small", "negative", dir.resolve("other-size.npy")), "negative images are 30x30",
                "positive images are 32x32");
        assertRefused(ok, arrays("small", "negative", dir.resolve("other-bands.npy")), "negative images have 1 bands",
                "every set must have the same bands");
        assertRefused(ok, arrays("small", "positive", notNpy), "positive: notes.npy is not a readable array");
        assertRefused(new JobSpec(null, null, null, withClf("lenet"), 1L), arrays("small", null, null),
                "clf = 'lenet'", "alexnet, resnet18, vgg16, custom_cnn");
        assertRefused(new JobSpec(null, null, null, withEpochs(-3), 1L), arrays("small", null, null),
                "epochs = -3", "> 0");
        assertRefused(new JobSpec(null, augment(1, 30), null, smallNetwork(1), 1L), arrays("small", null, null),
                "the classes would come out at 30 and 32 pixels");
        // Every problem at once.
        assertRefused(new JobSpec(null, null, null, withEpochs(-3), 1L),
                arrays("small", "negative", dir.resolve("other-bands.npy")), "epochs = -3", "have 1 bands");
    }

    @Test
    @Order(4)
    void aJobSubmittedWhileTrainServiceIsDownCompletesOnceItStarts() {
        ServiceProcess.Handle train = stack.service("train-service");
        train.stop(Duration.ofSeconds(20));
        String id = submit(new JobSpec("queued", null, null, smallNetwork(2), 3L), "small");
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
                .until(() -> client.job(id).path("state").asText().equals("TRAINING"));
        assertThat(client.job(id).path("worker").isNull()).isTrue();
        restart("train-service");
        assertThat(awaitEnd(id).path("state").asText()).isEqualTo("COMPLETED");
    }

    @Test
    @Order(5)
    void aTrainServiceKilledMidJobIsReplacedAndTheJobFinishes() {
        String id = submit(new JobSpec("killed-worker", null, null, smallNetwork(15), 4L), "long");
        await().atMost(JOB_TIMEOUT).until(() -> client.job(id).path("progress").path("epoch").asInt() >= 1);
        String killedWorker = client.job(id).path("worker").asText();
        stack.service("train-service").kill();
        restart("train-service");
        JsonNode job = awaitEnd(id);
        assertThat(job.path("state").asText()).isIn("COMPLETED", "FAILED");
        String history = job.path("history").toString();
        // Two ways back, both correct: the lease runs out and the job is requeued as attempt 2, or the
        // killed worker had not committed its take yet and Kafka redelivers the request to the new one.
        if (history.contains("went silent")) {
            assertThat(history).contains("requeued as attempt 2");
        } else {
            assertThat(history.split("training started on", -1).length - 1).as(history).isEqualTo(2);
        }
        if (job.path("state").asText().equals("COMPLETED")) {
            assertThat(job.path("result").path("worker").asText()).isNotEqualTo(killedWorker);
        } else {
            assertThat(job.path("failure").asText()).isNotBlank();
        }
    }

    @Test
    @Order(6)
    void anOptimizeServiceKilledMidJobStillKnowsTheJobAfterRestartAndFinishesIt() {
        String id = submit(new JobSpec("killed-orchestrator", augment(1, 30), augment(1, 30), smallNetwork(12), 5L), "long");
        await().atMost(JOB_TIMEOUT).until(() -> {
            JsonNode job = client.job(id);
            assertThat(job.path("state").asText()).isNotEqualTo("FAILED");
            return job.path("progress").path("epoch").asInt() >= 1;
        });
        stack.service("optimize-service").kill();
        restart("optimize-service");
        client = new JbiaClient(stack.apiUrl());
        assertThat(client.job(id).path("id").asText()).isEqualTo(id);
        JsonNode job = awaitEnd(id);
        assertThat(job.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(job.path("result").path("epochs_run").asInt()).isPositive();
    }

    @Test
    @Order(7)
    void theQuickDemoRunsAgainstTheRunningStackAndWritesItsPlots() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream previous = System.out;
        System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = org.jbia.cli.Bia.commandLine().execute("demo", "--quick", "--json", "--url",
                    stack.apiUrl(), "--data-dir", data.toString());
        } finally {
            System.setOut(previous);
        }
        assertThat(code).isZero();
        JsonNode result = JsonCodec.mapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(result.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(result.path("auroc").asDouble()).isBetween(0.0, 1.0);
        assertThat(result.has("tpr0")).isTrue();
        assertThat(result.has("tpr10")).isTrue();
        Path demo = data.resolve("demo");
        for (String plot : List.of("history.png", "roc.png", "augmented_lenses.png", "augmented_others.png")) {
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(demo.resolve(plot).toFile());
            assertThat(image).as(plot).isNotNull();
            assertThat(image.getWidth()).as(plot).isGreaterThan(200);
        }
        assertThat(Files.size(demo.resolve("model.zip"))).isPositive();
    }

    // --- helpers ---

    private void restart(String name) {
        List<ServiceProcess.Handle> services = new ArrayList<>(stack.services());
        ServiceProcess.Handle fresh = JbiaStack.startService(home, data, stack.infra(), name, ENV);
        ServiceProcess.awaitReady(fresh, Duration.ofSeconds(120));
        services.replaceAll(s -> s.name().equals(name) ? fresh : s);
        stack = new JbiaStack.State(stack.infra(), services);
        JbiaStack.save(data, stack);
    }

    private String submit(JobSpec spec, String classes) {
        return client.submit(spec, arrays(classes, null, null)).path("id").asText();
    }

    private JsonNode awaitEnd(String id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            last[0] = client.job(id);
            String state = last[0].path("state").asText();
            return state.equals("COMPLETED") || state.equals("FAILED");
        });
        return last[0];
    }

    private Map<String, Path> arrays(String classes, String replaceField, Path replacement) {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("positive", dir.resolve(classes + "-positive.npy"));
        files.put("negative", dir.resolve(classes + "-negative.npy"));
        files.put("val_positive", dir.resolve(classes + "-val_positive.npy"));
        files.put("val_negative", dir.resolve(classes + "-val_negative.npy"));
        if (replaceField != null) {
            files.put(replaceField, replacement);
        }
        return files;
    }

    private void assertRefused(JobSpec spec, Map<String, Path> files, String... expected) {
        try {
            client.submit(spec, files);
            throw new AssertionError("the submission was accepted; expected a refusal naming " + List.of(expected));
        } catch (JbiaClient.ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            for (String text : expected) {
                assertThat(e.body()).contains(text);
            }
        }
    }

    private static AugmentSpec augment(int batch, int size) {
        return new AugmentSpec(batch, 2, 2, true, true, true, null, size, null, null, null, null, null, null, null,
                null);
    }

    private static TrainSpec smallNetwork(int epochs) {
        return new TrainSpec("custom_cnn", Map.of("filter_1", 8, "dense_neurons_1", 16), epochs, 16, "adam", 1e-3,
                null, null, null, null, null, null, null, null, null, 0, null, null, null, null, null, null, null,
                null);
    }

    private static TrainSpec withClf(String clf) {
        return new TrainSpec(clf, null, 1, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    private static TrainSpec withEpochs(int epochs) {
        return new TrainSpec("custom_cnn", null, epochs, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Two separable classes: positives carry a bright square in the centre. */
    private static void writeClasses(Path dir, String name, int positives, int negatives, int size, int bands,
                                     long seed) {
        writeStack(dir.resolve(name + "-positive.npy"), positives, size, bands, 1, seed);
        writeStack(dir.resolve(name + "-negative.npy"), negatives, size, bands, 0, seed + 100);
        writeStack(dir.resolve(name + "-val_positive.npy"), 8, size, bands, 1, seed + 200);
        writeStack(dir.resolve(name + "-val_negative.npy"), 8, size, bands, 0, seed + 300);
    }

    private static void writeStack(Path file, int count, int size, int bands, int label, long seed) {
        Random random = new Random(seed);
        ImageStack stack = ImageStack.zeros(count, size, size, bands);
        float[] px = stack.pixels();
        for (int n = 0; n < count; n++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean centre = Math.abs(y - size / 2) < size / 6 && Math.abs(x - size / 2) < size / 6;
                    for (int b = 0; b < bands; b++) {
                        px[stack.index(n, y, x, b)] = (float) (random.nextGaussian() + (label == 1 && centre ? 3 : 0));
                    }
                }
            }
        }
        Npy.write(stack, file);
    }

    private KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.infra().kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** Every record of a topic so far, read without joining any group. */
    private List<ConsumerRecord<String, String>> readAll(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.infra().kafkaBootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 15_000;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
