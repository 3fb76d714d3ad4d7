package org.jbia.train.model;

import org.jbia.common.schema.TrainSpec;

/**
 * The optimiser with Keras' semantics: sgd (momentum, nesterov), adam (amsgrad), adamax, nadam,
 * adadelta, rmsprop; epsilon 1e-7; the learning rate at step t is lr / (1 + decay·t) (Keras' legacy
 * decay, which pyBIA accepted but never applied).
 */
public record OptimizerSpec(String name, double lr, double momentum, boolean nesterov, double decay, double beta1,
                            double beta2, boolean amsgrad, double rho, double epsilon) {

    public static final double KERAS_EPSILON = 1e-7;

    public static OptimizerSpec of(TrainSpec spec) {
        return new OptimizerSpec(spec.optimizer(), spec.lr(), spec.momentum(), spec.nesterov(), spec.decay(),
                spec.beta1(), spec.beta2(), spec.amsgrad(), spec.rho(), KERAS_EPSILON);
    }

    /** Learning rate of optimisation step {@code step} (counting from 0). */
    public double learningRateAt(long step) {
        return lr / (1 + decay * step);
    }
}
