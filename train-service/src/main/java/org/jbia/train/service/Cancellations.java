package org.jbia.train.service;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jbia.common.schema.TrainCancelled;
import org.jbia.train.training.EpochListener;

/**
 * The cancels a worker heard on bia.train.cancelled: a run asks at each epoch end whether to stop, and a
 * request taken after its cancel is skipped. A cancel may arrive before its request is taken (it waits
 * behind others on its partition), so it is kept whether or not the request runs here; only the newest
 * {@code capacity} are kept, so the memory stays bounded however long the worker lives. Thread-safe:
 * cancels come on the consumer's thread, questions on the training thread.
 */
final class Cancellations {
    private final int capacity;
    /** Request id to its cancel; a cancel covers every attempt up to its own. Oldest first. */
    private final Map<String, TrainCancelled> byRequest = new LinkedHashMap<>();

    Cancellations(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    synchronized void add(TrainCancelled cancel) {
        TrainCancelled known = byRequest.remove(cancel.requestId());
        byRequest.put(cancel.requestId(), known != null && known.attempt() > cancel.attempt() ? known : cancel);
        Iterator<String> oldest = byRequest.keySet().iterator();
        while (byRequest.size() > capacity) {
            oldest.next();
            oldest.remove();
        }
    }

    /** Why attempt {@code attempt} of {@code requestId} was cancelled, if it was. */
    synchronized Optional<String> reason(String requestId, int attempt) {
        TrainCancelled c = byRequest.get(requestId);
        if (c == null || attempt > c.attempt()) {
            return Optional.empty();
        }
        return Optional.of(c.reason() != null ? c.reason() : "no reason given");
    }

    synchronized int size() {
        return byRequest.size();
    }

    /**
     * {@code then}, told of each epoch unless the run was cancelled by the epoch's end: then the run
     * stops there with {@link RunCancelled}, and {@code then} does not hear of that epoch.
     */
    EpochListener stopping(String requestId, int attempt, EpochListener then) {
        return (epoch, epochs, metrics) -> {
            Optional<String> reason = reason(requestId, attempt);
            if (reason.isPresent()) {
                throw new RunCancelled(epoch, epochs, reason.get());
            }
            then.onEpoch(epoch, epochs, metrics);
        };
    }
}
