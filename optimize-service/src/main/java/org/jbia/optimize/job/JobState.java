package org.jbia.optimize.job;

/** Where a job stands. COMPLETED and FAILED are terminal: a job always reaches one of them. */
public enum JobState {
    SUBMITTED, AUGMENTING, TRAINING, COMPLETED, FAILED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }
}
