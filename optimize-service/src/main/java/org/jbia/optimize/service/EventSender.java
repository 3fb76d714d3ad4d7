package org.jbia.optimize.service;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jbia.common.schema.Event;
import org.jbia.common.schema.JsonCodec;

/** Sends an event keyed by its job id and waits until the broker has it, so a lost send is an error. */
final class EventSender {
    private EventSender() {
    }

    static void send(Emitter<String> emitter, Event event) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        Message<String> message = Message.of(JsonCodec.encode(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.jobId()).build())
                .withAck(() -> {
                    sent.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    sent.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
        try {
            sent.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send " + event.getClass().getSimpleName() + " for job "
                    + event.jobId() + ": " + e, e);
        }
    }
}
