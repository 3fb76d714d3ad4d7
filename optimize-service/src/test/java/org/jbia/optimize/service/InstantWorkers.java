package org.jbia.optimize.service;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jbia.common.schema.AugmentCompleted;
import org.jbia.common.schema.AugmentRequested;
import org.jbia.common.schema.Event;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.ObjectRef;
import org.jbia.common.schema.Topics;
import org.jbia.common.schema.TrainCompleted;
import org.jbia.common.schema.TrainProgress;
import org.jbia.common.schema.TrainRequested;
import org.jbia.common.stack.StackInfo;
import org.jbia.common.store.ObjectStore;

/**
 * Augment and train workers that do no work: each request is answered at once through the real
 * broker, with a report in the real store, as a train-service and augment-service would answer it.
 * The loss of a run is {@code loss(request)} at every epoch, so a study has something to optimise.
 * Requests matching {@code abandon} are taken (STARTED) and then never answered, as by a worker
 * that died.
 */
public final class InstantWorkers implements AutoCloseable {
    private final String worker;
    private final ToDoubleFunction<TrainRequested> loss;
    private final Predicate<TrainRequested> abandon;
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final ObjectStore store;
    private final Thread thread;
    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    private final AtomicInteger trainRequests = new AtomicInteger();
    private final java.util.concurrent.CountDownLatch assigned = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean running = true;

    public InstantWorkers(StackInfo info, String worker, ToDoubleFunction<TrainRequested> loss,
                   Predicate<TrainRequested> abandon) {
        this.worker = worker;
        this.loss = loss;
        this.abandon = abandon;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, info.kafkaBootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "instant-workers");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(c);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, info.kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producer = new KafkaProducer<>(p);
        store = new ObjectStore(info.s3Endpoint(), info.s3AccessKey(), info.s3SecretKey());
        consumer.subscribe(List.of(Topics.TRAIN_REQUESTED, Topics.AUGMENT_REQUESTED));
        thread = new Thread(this::run, "instant-workers");
        thread.setDaemon(true);
        thread.start();
    }

    public int trainRequests() {
        return trainRequests.get();
    }

    /** Waits until the workers' consumer holds its partitions, so that timing starts with workers ready. */
    public void awaitReady() throws InterruptedException {
        if (!assigned.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("the instant workers got no partitions within 60 s");
        }
    }

    private void run() {
        while (running) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.topic().equals(Topics.TRAIN_REQUESTED)) {
                    train(JsonCodec.decodeEvent(r.value(), TrainRequested.class));
                } else {
                    augment(JsonCodec.decodeEvent(r.value(), AugmentRequested.class));
                }
            }
            producer.flush();
            if (!consumer.assignment().isEmpty()) {
                assigned.countDown();
            }
        }
    }

    private void augment(AugmentRequested a) {
        send(Topics.AUGMENT_COMPLETED, new AugmentCompleted(Event.CURRENT_VERSION, a.jobId(), a.requestId(),
                a.attempt(), worker, a.data(), 0));
    }

    private void train(TrainRequested r) {
        trainRequests.incrementAndGet();
        int epochs = r.spec().epochs();
        send(Topics.TRAIN_PROGRESS, new TrainProgress(Event.CURRENT_VERSION, r.jobId(), r.requestId(), r.attempt(),
                worker, TrainProgress.Phase.STARTED, 0, epochs, Map.of(), System.currentTimeMillis()));
        if (abandon.test(r) || !answered.add(r.requestId() + "#" + r.attempt())) {
            return;
        }
        double l = loss.applyAsDouble(r);
        Map<String, List<Double>> history = new LinkedHashMap<>();
        Map<String, Double> last = new LinkedHashMap<>();
        for (String metric : List.of("loss", "binary_accuracy", "f1_score", "val_loss", "val_binary_accuracy",
                "val_f1_score")) {
            double v = metric.contains("loss") ? l : 1 - l / 2;
            List<Double> column = new ArrayList<>();
            for (int e = 0; e < epochs; e++) {
                column.add(v);
            }
            history.put(metric, column);
            last.put(metric, v);
        }
        for (int e = 1; e <= epochs; e++) {
            Map<String, Double> epoch = new LinkedHashMap<>();
            for (Map.Entry<String, List<Double>> column : history.entrySet()) {
                epoch.put(column.getKey(), column.getValue().get(e - 1));
            }
            send(Topics.TRAIN_PROGRESS, new TrainProgress(Event.CURRENT_VERSION, r.jobId(), r.requestId(), r.attempt(),
                    worker, TrainProgress.Phase.EPOCH, e, epochs, epoch, System.currentTimeMillis()));
        }
        String prefix = "jobs/" + r.jobId() + "/model/";
        ObjectRef report = store.put("jbia", prefix + "report.json", JsonCodec.encode(Map.of("history", history))
                .getBytes(StandardCharsets.UTF_8), null, "json");
        ObjectRef model = store.put("jbia", prefix + "bundle.zip", ("model of " + r.jobId())
                .getBytes(StandardCharsets.UTF_8), null, "zip");
        send(Topics.TRAIN_COMPLETED, new TrainCompleted(Event.CURRENT_VERSION, r.jobId(), r.requestId(), r.attempt(),
                worker, model, report, last, epochs, "epochs"));
    }

    private void send(String topic, Event event) {
        producer.send(new ProducerRecord<>(topic, event.jobId(), JsonCodec.encode(event)));
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
        producer.close();
        store.close();
    }
}
