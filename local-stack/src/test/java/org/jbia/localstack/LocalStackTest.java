package org.jbia.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the real broker and S3 server in this JVM, once for the class (each start costs seconds on
 * a busy 2-core machine); the restart test runs last because it stops and restarts that stack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackTest {
    private static final String TOPIC = "bia.test.events";

    private Path dir;
    private LocalStack stack;

    @BeforeAll
    void start(@TempDir Path classDir) {
        dir = classDir;
        stack = LocalStack.start(StackConfig.of(dir).withCredentials("jbia-test", "jbia-test-secret")
                .withTopics(List.of(TOPIC), 3));
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void listensOnLoopbackWithTheGivenCredentials() {
        assertThat(stack.kafkaBootstrap()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(stack.s3Endpoint()).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(stack.accessKey()).isEqualTo("jbia-test");
        assertThat(stack.dataDir()).isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void createsTheRequestedTopicsWithTheRequestedPartitions() throws Exception {
        assertThat(partitions(stack, TOPIC)).isEqualTo(3);
    }

    @Test
    void topicsCreatedOnFirstUseGetTheConfiguredPartitions() throws Exception {
        produce(stack, "bia.test.auto", "k", "v");
        assertThat(partitions(stack, "bia.test.auto")).isEqualTo(3);
    }

    @Test
    void aProducedRecordIsConsumed() throws Exception {
        produce(stack, "bia.test.roundtrip", "job-1", "hello");
        assertThat(consumeAll(stack, "bia.test.roundtrip", 1)).containsExactly("job-1=hello");
    }

    @Test
    void storesAndReturnsObjects() throws Exception {
        MinioClient s3 = s3(stack);
        s3.makeBucket(MakeBucketArgs.builder().bucket("roundtrip").build());
        byte[] bytes = "float32 pixels".getBytes(StandardCharsets.UTF_8);
        s3.putObject(PutObjectArgs.builder().bucket("roundtrip").object("a/b.npy")
                .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L).build());
        assertThat(read(s3, "roundtrip", "a/b.npy")).isEqualTo(bytes);
        assertThat(dir.resolve("s3/roundtrip")).isDirectory();
    }

    @Test
    void s3RejectsRequestsSignedWithAnotherSecret() {
        MinioClient wrong = MinioClient.builder().endpoint(stack.s3Endpoint()).region("us-east-1")
                .credentials("jbia-test", "not-the-secret").build();
        assertThatThrownBy(() -> wrong.makeBucket(MakeBucketArgs.builder().bucket("nope").build()))
                .isInstanceOfSatisfying(ErrorResponseException.class,
                        e -> assertThat(e.errorResponse().code()).isEqualTo("SignatureDoesNotMatch"));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void recordsTopicsAndObjectsSurviveARestartOnTheSameDataDir() throws Exception {
        String clusterId = stack.clusterId();
        produce(stack, TOPIC, "job-2", "kept");
        MinioClient s3 = s3(stack);
        s3.makeBucket(MakeBucketArgs.builder().bucket("datasets").build());
        byte[] bytes = "kept pixels".getBytes(StandardCharsets.UTF_8);
        s3.putObject(PutObjectArgs.builder().bucket("datasets").object("x.npy")
                .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L).build());
        stack.close();
        assertThat(dir.resolve("kafka/meta.properties")).exists();

        // new ports and newly generated credentials, same data
        stack = LocalStack.start(StackConfig.of(dir));
        assertThat(stack.clusterId()).isEqualTo(clusterId);
        assertThat(stack.accessKey()).isNotEqualTo("jbia-test");
        assertThat(partitions(stack, TOPIC)).isEqualTo(3);
        assertThat(consumeAll(stack, TOPIC, 1)).containsExactly("job-2=kept");
        MinioClient again = s3(stack);
        assertThat(again.bucketExists(BucketExistsArgs.builder().bucket("datasets").build())).isTrue();
        assertThat(read(again, "datasets", "x.npy")).isEqualTo(bytes);
    }

    @Test
    void aSecondStackOnTheSameDataDirIsRefusedBeforeItTouchesTheFiles() {
        assertThatThrownBy(() -> LocalStack.start(StackConfig.of(dir)))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("data directory " + dir.toAbsolutePath().normalize()
                        + " is in use by another local stack");
    }

    @Test
    void aTakenKafkaPortIsRefusedNamingThePort(@TempDir Path other) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, Ports.LOOPBACK)) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> LocalStack.start(StackConfig.of(other).withPorts(port, 0)))
                    .isInstanceOf(LocalStackException.class)
                    .hasMessageContaining("kafka port " + port)
                    .hasMessageContaining("already in use");
        }
    }

    @Test
    void aDataDirThatCannotBeCreatedIsRefusedNamingIt(@TempDir Path other) throws Exception {
        Path file = Files.writeString(other.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> LocalStack.start(StackConfig.of(file.resolve("data"))))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("cannot create data directory " + file.resolve("data").resolve("kafka"));
    }

    @Test
    void anInvalidTopicNameIsRefusedBeforeAnythingStarts(@TempDir Path other) {
        assertThatThrownBy(() -> LocalStack.start(StackConfig.of(other).withTopics(List.of("bad topic"), 1)))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("topic 'bad topic' is not a valid Kafka topic name");
        assertThat(other.resolve("kafka")).doesNotExist();
    }

    private static int partitions(LocalStack stack, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(20, TimeUnit.SECONDS).get(topic);
            return description.partitions().size();
        }
    }

    private static void produce(LocalStack stack, String topic, String key, String value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Reads the topic from the start with a fresh group until {@code expected} records arrived. */
    private static List<String> consumeAll(LocalStack stack, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r.key() + "=" + r.value());
                }
            }
        }
        return seen;
    }

    private static MinioClient s3(LocalStack stack) {
        return MinioClient.builder().endpoint(stack.s3Endpoint()).region("us-east-1")
                .credentials(stack.accessKey(), stack.secretKey()).build();
    }

    private static byte[] read(MinioClient s3, String bucket, String key) throws Exception {
        try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }
}
