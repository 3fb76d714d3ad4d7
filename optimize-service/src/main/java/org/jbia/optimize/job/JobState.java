package org.jbia.optimize.job;

/**
 * Where a job stands. COMPLETED, FAILED and CANCELLED are terminal: a job always reaches one of them.
 * CANCELLED is a job whose result nobody needs any more (a pruned trial's), stopped on purpose.
 */
public enum JobState {
    SUBMITTED, AUGMENTING, TRAINING, COMPLETED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
