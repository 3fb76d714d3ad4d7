package org.jbia.optimize.search;

import java.util.List;

/** Decides, from a running trial's intermediate values and the study's history, whether to stop it early. */
public interface Pruner {

    /** The pruner used unless a study asks for one: never prunes. */
    Pruner NONE = (trial, history) -> false;

    /**
     * Whether {@code trial}, which has just reported its latest intermediate value, should be pruned.
     *
     * @param history every trial of the study; only COMPLETE ones are compared against
     */
    boolean shouldPrune(TrialRecord trial, List<TrialRecord> history);
}
