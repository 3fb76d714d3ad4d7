package org.jbia.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jbia.cli.client.StudyClient;
import org.jbia.cli.stack.JbiaStack;
import org.jbia.cli.stack.ProjectHome;
import org.jbia.cli.stack.ServiceProcess;
import org.jbia.common.array.ImageStack;
import org.jbia.common.array.Npy;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.study.StudySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Studies on the whole system: the local stack, an augment-service, two train-service instances and
 * the optimize-service as separate processes. Trials run on both train-services at once; a
 * train-service killed mid-trial and an optimize-service killed mid-study leave the study with exactly
 * n_iter finished trials and a record of what happened. Trials are tiny (a one-layer custom_cnn on
 * 24-pixel images) so the class takes a few minutes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StudyTest {
    private static final Map<String, String> ENV = Map.of("BIA_TRAIN_LEASE_SECONDS", "8",
            "BIA_TRAIN_HEARTBEAT_SECONDS", "1");
    private static final Duration STUDY_TIMEOUT = Duration.ofMinutes(8);
    /** Everything but the optimiser's own values is pinned, so every trial builds the same small network. */
    private static final String FIXED = "\"fixed\": {\"optimizer\": \"adam\", \"num_conv_layers\": 1, \"filter_1\": 12, "
            + "\"filter_size_1\": 3, \"pooling_1\": \"max\", \"pool_size_1\": 2, \"num_dense_layers\": 1, "
            + "\"dense_neurons_1\": 128, \"dropout_1\": 0.0, \"model_reg\": \"none\", \"activation_conv\": \"relu\", "
            + "\"activation_dense\": \"relu\", \"loss\": \"binary_crossentropy\", \"conv_init\": \"glorot_uniform\", "
            + "\"dense_init\": \"glorot_uniform\"}";

    @TempDir
    static Path dir;

    private Path home;
    private Path data;
    private JbiaStack.State stack;

    @BeforeAll
    void up() {
        home = ProjectHome.find();
        data = dir.resolve("bia");
        stack = JbiaStack.up(home, data, ENV, false);
        // A second train-service: both take partitions of bia.train.requested.
        List<ServiceProcess.Handle> services = new ArrayList<>(stack.services());
        ServiceProcess.Handle second = JbiaStack.startService(home, data, stack.infra(), "train-service", ENV);
        ServiceProcess.awaitReady(second, Duration.ofSeconds(120));
        services.add(second);
        stack = new JbiaStack.State(stack.infra(), services);
        JbiaStack.save(data, stack);
        write("positive", 48, 1, 1);
        write("negative", 48, 0, 2);
        write("val_positive", 8, 1, 3);
        write("val_negative", 8, 0, 4);
    }

    @AfterAll
    void down() {
        if (stack != null) {
            JbiaStack.down(data);
        }
    }

    @Test
    @Order(1)
    void nParallelTwoRunsTrialsOnBothTrainServicesAtOnce() {
        StudyClient client = new StudyClient(stack.apiUrl());
        String id = submit(client, "scale-out", 8, 2, 2, 2);
        JsonNode done = awaitEnd(client, id);
        assertThat(done.path("phase").asText()).as(done.toString()).isEqualTo("COMPLETED");
        assertThat(done.path("finished").asInt()).isEqualTo(8);
        JsonNode trials = client.trials(id);
        Set<String> workers = new HashSet<>();
        for (JsonNode t : trials) {
            assertThat(t.path("workers")).as("trial %s records its worker", t.path("number")).hasSize(1);
            workers.add(t.path("workers").get(0).asText());
        }
        assertThat(workers).as("the trials' workers").hasSize(2);
        // Two trials on different workers were in flight at the same time.
        boolean overlapped = false;
        for (JsonNode a : trials) {
            for (JsonNode b : trials) {
                overlapped |= !a.path("workers").equals(b.path("workers"))
                        && a.path("started_at").asLong() < b.path("ended_at").asLong()
                        && b.path("started_at").asLong() < a.path("ended_at").asLong();
            }
        }
        assertThat(overlapped).as("two trials ran at once on the two train-services").isTrue();
    }

    @Test
    @Order(2)
    void killingATrainServiceAndTheOptimizeServiceMidStudyLosesAndRepeatsNoTrial() {
        StudyClient client = new StudyClient(stack.apiUrl());
        String id = submit(client, "faults", 4, 2, 25, 0);
        // Kill the train-service that runs a trial, once that trial has started its epochs.
        String[] victim = new String[1];
        await().atMost(STUDY_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (JsonNode t : client.trials(id)) {
                if (t.path("state").asText().equals("RUNNING") && !t.path("workers").isEmpty()) {
                    victim[0] = t.path("workers").get(0).asText();
                    return true;
                }
            }
            return false;
        });
        long pid = Long.parseLong(victim[0].substring(victim[0].indexOf('@') + 1));
        ServiceProcess.Handle killed = stack.services().stream().filter(s -> s.pid() == pid).findFirst()
                .orElseThrow(() -> new AssertionError("no service with pid " + pid + " (worker " + victim[0] + ")"));
        killed.kill();
        replace(killed, JbiaStack.startService(home, data, stack.infra(), "train-service", ENV));

        // Then the orchestrator, while trials are still running.
        await().atMost(STUDY_TIMEOUT).until(() -> client.study(id).path("finished").asInt() >= 1
                || client.study(id).path("running").asInt() > 0);
        ServiceProcess.Handle orchestrator = stack.service("optimize-service");
        orchestrator.kill();
        replace(orchestrator, JbiaStack.startService(home, data, stack.infra(), "optimize-service", ENV));
        StudyClient after = new StudyClient(stack.apiUrl());

        JsonNode done = awaitEnd(after, id);
        assertThat(done.path("phase").asText()).as(done.toString()).isEqualTo("COMPLETED");
        JsonNode trials = after.trials(id);
        assertThat(trials).hasSize(4);
        Set<Integer> numbers = new HashSet<>();
        for (JsonNode t : trials) {
            numbers.add(t.path("number").asInt());
            assertThat(t.path("state").asText()).isIn("COMPLETE", "PRUNED", "FAIL");
        }
        assertThat(numbers).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(done.path("finished").asInt()).isEqualTo(4);
        // The trial whose worker died was requeued, and its record says so.
        assertThat(trials.toString()).contains("went silent").contains("requeued as attempt 2");
    }

    // --- helpers ---

    private String submit(StudyClient client, String name, int nIter, int nParallel, int trainEpochs, int epochs) {
        StudySpec spec = JsonCodec.decode("{\"name\": \"" + name + "\", \"seed\": 5, \"train\": {\"clf\": \"custom_cnn\", "
                + "\"normalize\": true, \"min_pixel\": -5, \"max_pixel\": [10]}, \"optimize\": {\"n_iter\": " + nIter
                + ", \"n_parallel\": " + nParallel + ", \"train_epochs\": " + trainEpochs + ", \"epochs\": " + epochs
                + ", \"patience\": 0, \"metric\": \"val_loss\", \"batch_size_min\": 16, \"batch_size_max\": 16, "
                + FIXED + "}}", StudySpec.class);
        Map<String, Path> arrays = new LinkedHashMap<>();
        for (String set : List.of("positive", "negative", "val_positive", "val_negative")) {
            arrays.put(set, dir.resolve(set + ".npy"));
        }
        return client.submit(spec, arrays).path("id").asText();
    }

    private static JsonNode awaitEnd(StudyClient client, String id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(STUDY_TIMEOUT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            last[0] = client.study(id);
            String phase = last[0].path("phase").asText();
            return phase.equals("COMPLETED") || phase.equals("FAILED");
        });
        return last[0];
    }

    private void replace(ServiceProcess.Handle old, ServiceProcess.Handle fresh) {
        ServiceProcess.awaitReady(fresh, Duration.ofSeconds(120));
        List<ServiceProcess.Handle> services = new ArrayList<>(stack.services());
        services.replaceAll(s -> s.pid() == old.pid() ? fresh : s);
        stack = new JbiaStack.State(stack.infra(), services);
        JbiaStack.save(data, stack);
    }

    /** Separable classes: positives carry a bright square in the centre. */
    private void write(String name, int count, int label, long seed) {
        Random random = new Random(seed);
        int size = 24;
        ImageStack stack = ImageStack.zeros(count, size, size, 1);
        float[] px = stack.pixels();
        for (int n = 0; n < count; n++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean centre = Math.abs(y - size / 2) < size / 6 && Math.abs(x - size / 2) < size / 6;
                    px[stack.index(n, y, x, 0)] = (float) (random.nextGaussian() + (label == 1 && centre ? 3 : 0));
                }
            }
        }
        Npy.write(stack, dir.resolve(name + ".npy"));
    }
}
