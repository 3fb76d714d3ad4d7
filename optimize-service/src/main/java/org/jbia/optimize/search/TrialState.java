package org.jbia.optimize.search;

/** Where a trial stands, as Optuna's TrialState (WAITING is the orchestrator's business, not the sampler's). */
public enum TrialState {
    /** Sampled and handed to a worker, no result yet. */
    RUNNING,
    /** Finished with an objective value. */
    COMPLETE,
    /** Stopped early; its last intermediate value, if any, still informs the sampler. */
    PRUNED,
    /** Crashed or produced a non-finite value; ignored by the sampler. */
    FAIL
}
