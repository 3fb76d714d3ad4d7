package org.jbia.train.model;

import java.util.List;
import org.jbia.common.schema.TrainSpec;

/**
 * The training losses on one sigmoid output p = P(positive) and a label y ∈ {0, 1}, backend-independent.
 * Departures from pyBIA (spec §9): weighted BCE multiplies the positive class's term by {@code weight}
 * (and normalises by the total weight, so that it equals plain BCE on the data with each positive
 * repeated {@code weight} times); focal loss is computed on probabilities (not as logits); hinge maps
 * labels to ±1 and acts on p, as Keras' Hinge does.
 */
public final class BinaryLoss {
    /** Keras' clip of probabilities inside log (its backend epsilon). */
    public static final double EPSILON = 1e-7;
    static final double FOCAL_ALPHA = 0.25;
    static final double FOCAL_GAMMA = 2.0;

    private final String name;
    private final double positiveWeight;

    private BinaryLoss(String name, double positiveWeight) {
        this.name = name;
        this.positiveWeight = positiveWeight;
    }

    /** The loss named as in {@link TrainSpec#LOSSES}; weight is used by weighted_binary_crossentropy only. */
    public static BinaryLoss of(String name, Double weight) {
        if (!TrainSpec.LOSSES.contains(name)) {
            throw new IllegalArgumentException("loss = '" + name + "' is not allowed: expected one of "
                    + String.join(", ", TrainSpec.LOSSES));
        }
        if ("weighted_binary_crossentropy".equals(name)) {
            if (weight == null || !(weight > 0)) {
                throw new IllegalArgumentException("weight = " + weight
                        + " is not allowed: weighted_binary_crossentropy needs a weight > 0 for the positive class");
            }
            return new BinaryLoss(name, weight);
        }
        return new BinaryLoss(name, 1.0);
    }

    public static BinaryLoss of(TrainSpec spec) {
        return of(spec.loss(), spec.weight());
    }

    public static List<String> names() {
        return TrainSpec.LOSSES;
    }

    public String name() {
        return name;
    }

    /** The weight of the positive class's term (1 except for weighted BCE). */
    public double positiveWeight() {
        return positiveWeight;
    }

    /** Weight of one example in the mean. */
    public double sampleWeight(double y) {
        return y > 0.5 ? positiveWeight : 1.0;
    }

    /** Unweighted loss of one example. */
    public double value(double p, double y) {
        double pc = Math.min(Math.max(p, EPSILON), 1 - EPSILON);
        boolean positive = y > 0.5;
        return switch (name) {
            case "binary_crossentropy", "weighted_binary_crossentropy" -> positive ? -Math.log(pc) : -Math.log(1 - pc);
            case "focal_loss" -> {
                double pt = positive ? pc : 1 - pc;
                yield FOCAL_ALPHA * Math.pow(1 - pt, FOCAL_GAMMA) * -Math.log(pt);
            }
            default -> Math.max(0, 1 - (positive ? 1 : -1) * p);
        };
    }

    /**
     * Derivative of the unweighted loss with respect to the sigmoid's input z (p = sigmoid(z)), written
     * in closed form so that it stays exact where p saturates.
     */
    public double gradientWrtLogit(double p, double y) {
        boolean positive = y > 0.5;
        return switch (name) {
            case "binary_crossentropy", "weighted_binary_crossentropy" -> p - (positive ? 1 : 0);
            case "focal_loss" -> {
                // L = a (1-pt)^g (-log pt), pt = p or 1-p; dpt/dz = ±pt(1-pt)
                double pt = Math.min(Math.max(positive ? p : 1 - p, EPSILON), 1 - EPSILON);
                double q = 1 - pt;
                double dLdz = FOCAL_ALPHA * (FOCAL_GAMMA * pt * Math.pow(q, FOCAL_GAMMA) * Math.log(pt)
                        - Math.pow(q, FOCAL_GAMMA + 1));
                yield positive ? dLdz : -dLdz;
            }
            default -> {
                double t = positive ? 1 : -1;
                yield 1 - t * p > 0 ? -t * p * (1 - p) : 0;
            }
        };
    }

    /** Weighted mean loss: Σ wᵢ·lᵢ / Σ wᵢ. */
    public double mean(float[] probabilities, float[] labels) {
        double sum = 0;
        double weights = 0;
        for (int i = 0; i < probabilities.length; i++) {
            double w = sampleWeight(labels[i]);
            sum += w * value(probabilities[i], labels[i]);
            weights += w;
        }
        return weights == 0 ? Double.NaN : sum / weights;
    }

    @Override
    public String toString() {
        return "weighted_binary_crossentropy".equals(name) ? name + "(weight=" + positiveWeight + ")" : name;
    }
}
