package org.jbia.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * One Kafka node in KRaft combined mode (broker and controller in this JVM), listening on 127.0.0.1.
 * The log directory is formatted once, on first use; later starts reuse it and its cluster id, so
 * topics, offsets and committed consumer positions survive a restart.
 */
final class KafkaBroker implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final String bootstrap;
    private final String clusterId;

    private KafkaBroker(KafkaRaftServer server, String bootstrap, String clusterId) {
        this.server = server;
        this.bootstrap = bootstrap;
        this.clusterId = clusterId;
    }

    /** Formats {@code logDir} if it has never been, starts the node and waits until it answers. */
    static KafkaBroker start(Path logDir, Path configFile, int port, int partitions) {
        int controllerPort = Ports.free();
        Properties props = config(logDir, port, controllerPort, partitions);
        writeConfig(configFile, props);
        String clusterId = formatOnce(logDir, configFile);
        KafkaRaftServer server = null;
        try {
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
        } catch (RuntimeException e) {
            if (server != null) {
                // release the log dir lock and whatever sockets did open
                server.shutdown();
            }
            throw new LocalStackException("the Kafka broker did not start on 127.0.0.1:" + port + " (log dir "
                    + logDir + "): " + e.getMessage(), e);
        }
        KafkaBroker broker = new KafkaBroker(server, "127.0.0.1:" + port, clusterId);
        try {
            broker.awaitReady();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    String bootstrap() {
        return bootstrap;
    }

    String clusterId() {
        return clusterId;
    }

    /** Creates the topics that do not exist yet; existing ones keep their partitions and records. */
    void ensureTopics(List<String> names, int partitions) {
        if (names.isEmpty()) {
            return;
        }
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String name : names) {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, partitions, (short) 1));
                }
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // another client's first produce can auto-create it in between: same result
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new LocalStackException("cannot create topic " + entry.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            awaitLeaders(admin, names);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
            throw new LocalStackException("cannot list or create topics on " + bootstrap + ": " + e, e);
        }
    }

    /** Creation returns once the controller committed it; clients need the broker to lead every partition. */
    private void awaitLeaders(Admin admin, List<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String waiting = String.join(", ", names);
        while (System.nanoTime() < deadline) {
            try {
                Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
                waiting = topics.values().stream()
                        .filter(t -> t.partitions().stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty()))
                        .map(TopicDescription::name).collect(Collectors.joining(", "));
                if (waiting.isEmpty()) {
                    return;
                }
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                // just created: the broker's metadata may not list them yet
            }
            Thread.sleep(100);
        }
        throw new LocalStackException("topics " + waiting + " have no leader after " + READY_TIMEOUT.toSeconds() + " s");
    }

    /** The broker stops (segments flushed, clean-shutdown markers written), then the controller. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while waiting for the Kafka broker", e);
        }
        throw new LocalStackException("the Kafka broker at " + bootstrap + " did not answer within "
                + READY_TIMEOUT.toSeconds() + " s" + (last == null ? "" : ": " + last));
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    static Properties config(Path logDir, int port, int controllerPort, int partitions) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        // one node: every internal topic must make do with one replica
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        // fewer internal partitions: the first consumer group joins in well under a second
        p.setProperty("offsets.topic.num.partitions", "8");
        p.setProperty("transaction.state.log.num.partitions", "8");
        // the default 3 s delay only helps when many consumers join at once
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("num.partitions", Integer.toString(partitions));
        // leadership has nowhere to move on one node; waiting for the controller's approval only risks
        // the broker's five-minute wait when the controller is already going down
        p.setProperty("controlled.shutdown.enable", "false");
        p.setProperty("auto.create.topics.enable", "true");
        return p;
    }

    private static void writeConfig(Path file, Properties props) {
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "written by jBIA local-stack at each start; the broker reads this configuration");
        } catch (IOException e) {
            throw new LocalStackException("cannot write the broker configuration " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Formats the log directory with a new cluster id unless it already holds one; the broker refuses
     * to start on an unformatted directory, and formatting again would orphan the existing data.
     */
    private static String formatOnce(Path logDir, Path configFile) {
        Path meta = logDir.resolve("meta.properties");
        if (Files.exists(meta)) {
            return readClusterId(meta);
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", configFile.toString()}, out);
        } catch (RuntimeException e) {
            throw new LocalStackException("cannot format the Kafka log dir " + logDir + ": " + e.getMessage()
                    + " " + captured.toString(StandardCharsets.UTF_8).trim(), e);
        }
        if (rc != 0 || !Files.exists(meta)) {
            throw new LocalStackException("cannot format the Kafka log dir " + logDir + " (exit " + rc + "): "
                    + captured.toString(StandardCharsets.UTF_8).trim());
        }
        return clusterId;
    }

    private static String readClusterId(Path meta) {
        Properties p = new Properties();
        try (var in = Files.newInputStream(meta)) {
            p.load(in);
        } catch (IOException e) {
            throw new LocalStackException("cannot read " + meta + ": " + e.getMessage(), e);
        }
        String id = p.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new LocalStackException(meta + " has no cluster.id; the Kafka log dir is damaged (delete "
                    + meta.getParent() + " to start with no topics)");
        }
        return id;
    }
}
