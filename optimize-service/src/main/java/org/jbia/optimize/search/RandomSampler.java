package org.jbia.optimize.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Uniform random search with Optuna's RandomSampler semantics: floats uniform (in log space when
 * log), stepped and int values uniform over their grid, log ints uniform in log space over
 * [low − ½, high + ½] then rounded, categoricals uniform (the largest of one uniform per choice). Also the TPE sampler's start-up phase.
 */
public final class RandomSampler implements Sampler {
    private static final long SALT = 0x52414e444f4dL;
    private final long seed;

    public RandomSampler(long seed) {
        this.seed = seed;
    }

    @Override
    public Map<String, Object> sample(SearchSpace space, List<TrialRecord> history, int trialNumber) {
        RandomGenerator rng = TrialRandom.forTrial(seed, trialNumber, SALT);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Param p : space.params()) {
            if (space.isActive(p, out)) {
                out.put(p.name(), draw(p, rng));
            }
        }
        return out;
    }

    /** One uniform draw from the domain of {@code p}. */
    static Object draw(Param p, RandomGenerator rng) {
        if (p instanceof FloatParam f) {
            if (f.low() == f.high()) {
                return f.low();
            }
            if (f.log()) {
                double v = Math.exp(uniform(rng, Math.log(f.low()), Math.log(f.high())));
                return Math.min(Math.max(v, f.low()), Math.nextDown(f.high()));
            }
            if (f.step() != null) {
                double s = f.step();
                double v = uniform(rng, f.low() - 0.5 * s, f.high() + 0.5 * s);
                return Grid.snap(v, f.low(), f.high(), s);
            }
            return Math.min(uniform(rng, f.low(), f.high()), Math.nextDown(f.high()));
        }
        if (p instanceof IntParam i) {
            if (i.log()) {
                double v = Math.exp(uniform(rng, Math.log(i.low() - 0.5), Math.log(i.high() + 0.5)));
                return (int) Math.min(Math.max(Math.rint(v), i.low()), i.high());
            }
            double v = uniform(rng, i.low() - 0.5 * i.step(), i.high() + 0.5 * i.step());
            return (int) Grid.snap(v, i.low(), i.high(), i.step());
        }
        // As Optuna: one uniform per choice (its one-hot encoding), the largest wins. Uniform all the
        // same, and it keeps the draws in step with Optuna's so a replay on NumPy's stream matches.
        CategoricalParam c = (CategoricalParam) p;
        int pick = 0;
        double top = -1;
        for (int k = 0; k < c.choices().size(); k++) {
            double u = rng.nextDouble();
            if (u > top) {
                top = u;
                pick = k;
            }
        }
        return c.choices().get(pick);
    }

    private static double uniform(RandomGenerator rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
