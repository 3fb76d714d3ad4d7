package org.jbia.augment.service;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jbia.common.array.ArrayFormatException;
import org.jbia.common.array.ImageStack;
import org.jbia.common.array.Npy;
import org.jbia.common.schema.AugmentCompleted;
import org.jbia.common.schema.AugmentFailed;
import org.jbia.common.schema.AugmentRequested;
import org.jbia.common.schema.DatasetRefs;
import org.jbia.common.schema.Event;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.ObjectRef;
import org.jbia.common.store.ObjectStore;
import org.jbia.common.store.ObjectStoreException;
import org.jbia.service.EventSender;
import org.jboss.logging.Logger;

/**
 * bia.augment.requested → augment the job's arrays → bia.augment.completed (or .failed with the reason).
 * Idempotent on the request id: a request whose outputs are already stored is answered from them.
 */
@ApplicationScoped
public class AugmentWorker {
    private static final Logger LOG = Logger.getLogger(AugmentWorker.class);
    private static final List<String> OUTPUTS = List.of("positive", "negative", "val_positive", "val_negative",
            "test_positive", "test_negative");

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "bia.s3.bucket", defaultValue = "jbia")
    String bucket;

    @ConfigProperty(name = "bia.worker.name")
    Optional<String> workerName;

    @Channel("augment-completed")
    Emitter<String> completed;

    @Channel("augment-failed")
    Emitter<String> failed;

    @Incoming("augment-requested")
    @Blocking
    public void onRequest(String json) {
        AugmentRequested request = JsonCodec.decodeEvent(json, AugmentRequested.class);
        long started = System.currentTimeMillis();
        try {
            DatasetRefs output = existingOutput(request).orElseGet(() -> augment(request));
            EventSender.sendAndWait(completed, new AugmentCompleted(Event.CURRENT_VERSION, request.jobId(),
                    request.requestId(), request.attempt(), worker(), output, System.currentTimeMillis() - started));
        } catch (InvalidSpecException | ArrayFormatException | ObjectStoreException e) {
            LOG.warnf("job %s: augmentation failed: %s", request.jobId(), e.getMessage());
            EventSender.sendAndWait(failed, new AugmentFailed(Event.CURRENT_VERSION, request.jobId(), request.requestId(),
                    request.attempt(), worker(), e.getMessage()));
        }
    }

    private DatasetRefs augment(AugmentRequested request) {
        store.ensureBucket(bucket);
        DatasetRefs in = request.data();
        DatasetAugmentation.Dataset out = DatasetAugmentation.apply(new DatasetAugmentation.Dataset(
                read(in.positive()), read(in.negative()), read(in.valPositive()), read(in.valNegative()),
                read(in.testPositive()), read(in.testNegative())), request.positive(), request.negative(),
                request.seed());
        LOG.infof("job %s: augmented positive %s -> %s, negative %s -> %s", request.jobId(),
                java.util.Arrays.toString(in.positive().shape()), out.positive().shapeText(),
                java.util.Arrays.toString(in.negative().shape()), out.negative().shapeText());
        // The output marker (positive) is written last, so its presence means the whole set is there.
        ObjectRef negative = write(request, "negative", out.negative());
        ObjectRef valPositive = write(request, "val_positive", out.valPositive());
        ObjectRef valNegative = write(request, "val_negative", out.valNegative());
        ObjectRef testPositive = write(request, "test_positive", out.testPositive());
        ObjectRef testNegative = write(request, "test_negative", out.testNegative());
        ObjectRef positive = write(request, "positive", out.positive());
        return new DatasetRefs(positive, negative, valPositive, valNegative, testPositive, testNegative);
    }

    /** The outputs of an earlier run of the same request, if all of them are stored. */
    private Optional<DatasetRefs> existingOutput(AugmentRequested request) {
        DatasetRefs in = request.data();
        ObjectRef[] inputs = {in.positive(), in.negative(), in.valPositive(), in.valNegative(), in.testPositive(),
                in.testNegative()};
        ObjectRef[] outputs = new ObjectRef[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                continue;
            }
            Optional<ObjectRef> found = store.stat(bucket, key(request, OUTPUTS.get(i)), null, "float32");
            if (found.isEmpty()) {
                return Optional.empty();
            }
            outputs[i] = found.get();
        }
        // Shapes are not kept in object metadata: read them back from the .npy headers of the stored arrays.
        for (int i = 0; i < outputs.length; i++) {
            if (outputs[i] != null) {
                ImageStack stack = Npy.read(store.get(outputs[i]));
                outputs[i] = new ObjectRef(outputs[i].bucket(), outputs[i].key(), outputs[i].size(),
                        outputs[i].sha256(), stack.shape(), "float32");
            }
        }
        LOG.infof("job %s: request %s was already done; answering from the stored arrays", request.jobId(),
                request.requestId());
        return Optional.of(new DatasetRefs(outputs[0], outputs[1], outputs[2], outputs[3], outputs[4], outputs[5]));
    }

    private ImageStack read(ObjectRef ref) {
        return ref == null ? null : Npy.read(store.get(ref));
    }

    private ObjectRef write(AugmentRequested request, String name, ImageStack stack) {
        return stack == null ? null : store.put(bucket, key(request, name), Npy.write(stack), stack.shape(), "float32");
    }

    private static String key(AugmentRequested request, String name) {
        return "jobs/" + request.jobId() + "/augmented/" + name + ".npy";
    }

    private String worker() {
        return workerName.orElseGet(() -> "augment@" + ProcessHandle.current().pid());
    }

}
