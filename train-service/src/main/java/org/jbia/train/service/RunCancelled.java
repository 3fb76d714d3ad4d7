package org.jbia.train.service;

/**
 * A run stopped because its request was cancelled (its trial was pruned): not a failure of training,
 * and nothing of it is kept. The message says where it stopped and why.
 */
final class RunCancelled extends RuntimeException {
    private final int epoch;

    /** @param epoch the last epoch trained, 0 when the run stopped before its first */
    RunCancelled(int epoch, int epochs, String reason) {
        super(message(epoch, epochs, reason), null, false, false);
        this.epoch = epoch;
    }

    /** Where a cancelled run stopped and why; starts with "cancelled", which the job record recognises. */
    static String message(int epoch, int epochs, String reason) {
        return (epoch == 0 ? "cancelled before training started" : "cancelled after epoch " + epoch + " of " + epochs)
                + ": " + reason;
    }

    int epoch() {
        return epoch;
    }
}
