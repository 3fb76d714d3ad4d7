package org.jbia.service;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jbia.common.schema.Event;
import org.jbia.common.schema.JsonCodec;

/** How every service sends an event: JSON, keyed by its job id, so one job's events keep their order. */
public final class EventSender {
    private static final long ACK_TIMEOUT_SECONDS = 30;

    private EventSender() {
    }

    /** Fire and forget: for progress, where the next report supersedes a lost one. */
    public static void send(Emitter<String> emitter, Event event) {
        emitter.send(keyed(event));
    }

    /**
     * Sends and waits until the broker has the event: for requests and outcomes, whose loss would
     * leave a job waiting, so a failed send must be an error the caller sees.
     */
    public static void sendAndWait(Emitter<String> emitter, Event event) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        emitter.send(keyed(event).withAck(() -> {
            sent.complete(null);
            return CompletableFuture.completedFuture(null);
        }).withNack(failure -> {
            sent.completeExceptionally(failure);
            return CompletableFuture.completedFuture(null);
        }));
        try {
            sent.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send " + event.getClass().getSimpleName() + " for job "
                    + event.jobId() + ": " + e, e);
        }
    }

    private static Message<String> keyed(Event event) {
        return Message.of(JsonCodec.encode(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.jobId()).build());
    }
}
