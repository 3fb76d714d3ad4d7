package org.jbia.train.training;

/**
 * Keras' EarlyStopping rule (min_delta 0): the monitored value improves when it is strictly lower
 * (losses) or strictly higher (anything else) than the best so far; after {@code patience} epochs in a
 * row without improvement, training stops. A NaN never improves. Patience 0 never stops.
 */
public final class EarlyStopping {
    private final String metric;
    private final int patience;
    private final boolean minimise;
    private double best;
    private int bestEpoch;
    private int wait;

    public EarlyStopping(String metric, int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience = " + patience + " is not allowed: it must be >= 0");
        }
        this.metric = metric;
        this.patience = patience;
        this.minimise = metric.contains("loss");
        this.best = minimise ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    public String metric() {
        return metric;
    }

    public boolean minimises() {
        return minimise;
    }

    /**
     * Records the value of epoch {@code epoch} (from 1).
     *
     * @return true when this epoch improved on the best so far
     */
    public boolean record(int epoch, double value) {
        boolean improved = minimise ? value < best : value > best;
        if (improved) {
            best = value;
            bestEpoch = epoch;
            wait = 0;
        } else {
            wait++;
        }
        return improved;
    }

    /** Whether training should stop after the epochs recorded so far. */
    public boolean shouldStop() {
        return patience > 0 && wait >= patience;
    }

    /** The epoch with the best value so far (from 1), or 0 when none improved on the start. */
    public int bestEpoch() {
        return bestEpoch;
    }

    public double best() {
        return best;
    }
}
