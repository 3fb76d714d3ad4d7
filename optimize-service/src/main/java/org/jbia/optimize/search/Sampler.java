package org.jbia.optimize.search;

import java.util.List;
import java.util.Map;

/**
 * Chooses the parameters of a new trial from the study's history. Implementations are
 * deterministic functions of (seed, space, history, trial number), so a restarted study that
 * asks again for the same trial gets the same answer.
 */
public interface Sampler {

    /**
     * The parameter values for trial {@code trialNumber}: one entry per parameter active under
     * the values drawn before it, in {@link SearchSpace#params()} order.
     *
     * @param history every trial of the study known so far, any order; the trial being sampled,
     *                if listed, is ignored
     */
    Map<String, Object> sample(SearchSpace space, List<TrialRecord> history, int trialNumber);
}
