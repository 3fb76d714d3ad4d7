package org.jbia.optimize.search;

/** Whether a study minimises or maximises its objective (pyBIA maximises its score). */
public enum Direction {
    MINIMIZE,
    MAXIMIZE;

    /** The value turned into a loss, lower is better. */
    double toLoss(double value) {
        return this == MINIMIZE ? value : -value;
    }

    /** Whether {@code a} is strictly better than {@code b}. */
    public boolean isBetter(double a, double b) {
        return this == MINIMIZE ? a < b : a > b;
    }
}
