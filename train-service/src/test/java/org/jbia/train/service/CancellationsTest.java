package org.jbia.train.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.Event;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.TrainCancelled;
import org.jbia.common.schema.TrainSpec;
import org.jbia.train.training.TrainingData;
import org.jbia.train.training.TrainingJob;
import org.junit.jupiter.api.Test;

class CancellationsTest {

    private static TrainCancelled cancel(String requestId, int attempt, String reason) {
        return new TrainCancelled(Event.CURRENT_VERSION, "job-" + requestId, requestId, attempt, reason);
    }

    @Test
    void aCancelCoversEveryAttemptUpToItsOwn() {
        Cancellations cancels = new Cancellations(10);
        cancels.add(cancel("r1", 2, "trial 3 pruned"));
        assertThat(cancels.reason("r1", 1)).contains("trial 3 pruned");
        assertThat(cancels.reason("r1", 2)).contains("trial 3 pruned");
        assertThat(cancels.reason("r1", 3)).isEmpty();
        assertThat(cancels.reason("r2", 1)).isEmpty();
        // A late copy for an earlier attempt does not narrow what was cancelled.
        cancels.add(cancel("r1", 1, "trial 3 pruned"));
        assertThat(cancels.reason("r1", 2)).contains("trial 3 pruned");
    }

    @Test
    void onlyTheNewestCancelsAreKept() {
        Cancellations cancels = new Cancellations(3);
        for (int i = 1; i <= 5; i++) {
            cancels.add(cancel("r" + i, 1, "trial " + i + " pruned"));
        }
        assertThat(cancels.size()).isEqualTo(3);
        assertThat(cancels.reason("r1", 1)).isEmpty();
        assertThat(cancels.reason("r2", 1)).isEmpty();
        assertThat(cancels.reason("r5", 1)).contains("trial 5 pruned");
        // Hearing a cancel again makes it the newest.
        cancels.add(cancel("r3", 1, "trial 3 pruned"));
        cancels.add(cancel("r6", 1, "trial 6 pruned"));
        assertThat(cancels.reason("r3", 1)).isPresent();
        assertThat(cancels.reason("r4", 1)).isEmpty();
        assertThatThrownBy(() -> new Cancellations(0)).hasMessage("capacity must be at least 1, got 0");
    }

    @Test
    void aCancelledRunStopsAtTheNextEpochEndWithoutAResult() {
        Cancellations cancels = new Cancellations(10);
        List<Integer> reported = new ArrayList<>();
        TrainSpec spec = JsonCodec.decode(JsonCodec.encode(Map.of("clf", "custom_cnn", "backend", "dl4j",
                "network", Map.of("filter_1", 4, "filter_size_1", 3, "pooling_1", "max", "pool_size_1", 2,
                        "pool_stride_1", 2, "dense_neurons_1", 8, "dropout_1", 0.0, "model_reg", "none"),
                "epochs", 20, "batch_size", 16, "patience", 0)), TrainSpec.class);
        TrainingData data = new TrainingData(images(32, 1), images(32, 2), null, null, null, null);
        // The cancel arrives while epoch 3 trains (right after epoch 2 was reported); another request's does not count.
        assertThatThrownBy(() -> TrainingJob.run(data, spec, 7, cancels.stopping("r1", 1, (epoch, epochs, m) -> {
            reported.add(epoch);
            if (epoch == 1) {
                cancels.add(cancel("r2", 1, "another trial"));
            }
            if (epoch == 2) {
                cancels.add(cancel("r1", 1, "trial 4 pruned: median pruner"));
            }
        }))).isInstanceOfSatisfying(RunCancelled.class, e -> {
            assertThat(e.epoch()).isEqualTo(3);
            assertThat(e.getMessage()).isEqualTo("cancelled after epoch 3 of 20: trial 4 pruned: median pruner");
        });
        assertThat(reported).containsExactly(1, 2);
    }

    @Test
    void aRunCancelledBeforeItStartedSaysSo() {
        assertThat(new RunCancelled(0, 20, "trial 1 failed").getMessage())
                .isEqualTo("cancelled before training started: trial 1 failed");
    }

    private static ImageStack images(int count, long seed) {
        Random r = new Random(seed);
        ImageStack s = ImageStack.zeros(count, 12, 12, 1);
        float[] px = s.pixels();
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (20 + 5 * r.nextGaussian());
        }
        return s;
    }
}
