package org.jbia.train.training;

import java.util.Map;

/** Told after every epoch: epoch counts from 1; metrics under Keras' names (loss, val_f1_score, ...). */
@FunctionalInterface
public interface EpochListener {
    EpochListener NONE = (epoch, epochs, metrics) -> { };

    void onEpoch(int epoch, int epochs, Map<String, Double> metrics);
}
