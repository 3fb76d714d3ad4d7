package org.jbia.optimize.study;

import org.jbia.common.schema.study.OptimizeSpec;
import org.jbia.common.schema.study.StudySpec;
import org.jbia.optimize.search.Direction;
import org.jbia.optimize.search.MedianPruner;
import org.jbia.optimize.search.Pruner;
import org.jbia.optimize.search.RandomSampler;
import org.jbia.optimize.search.Sampler;
import org.jbia.optimize.search.TpeSampler;

/**
 * How a study chooses and stops trials, rebuilt from its spec whenever it is loaded: the space, the
 * sampler (TPE with pyBIA's direction, maximise, seeded by the study seed) and the pruner.
 */
public record StudyPlan(TrialSpace space, Sampler sampler, Pruner pruner) {

    public static StudyPlan of(StudySpec spec, int bands, long seed) {
        OptimizeSpec o = spec.optimize();
        Sampler sampler = "random".equals(o.sampler()) ? new RandomSampler(seed) : new TpeSampler(Direction.MAXIMIZE, seed);
        Pruner pruner = "median".equals(o.pruner())
                ? new MedianPruner(Direction.MAXIMIZE, o.prunerStartupTrials(), o.prunerWarmupSteps(), 1, 1)
                : Pruner.NONE;
        return new StudyPlan(SpaceBuilder.build(spec, bands), sampler, pruner);
    }
}
