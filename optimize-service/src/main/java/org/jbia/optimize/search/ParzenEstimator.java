package org.jbia.optimize.search;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Optuna 3.1's univariate Parzen estimator for one parameter: a weighted mixture with one kernel
 * per observation plus a prior kernel. Numerical parameters get truncated Gaussians on the
 * parameter's range (log space for log parameters, range widened by half a step and kernel mass
 * integrated over each grid cell for int/stepped ones) with the "neighbour distance" bandwidth,
 * endpoints not considered and the magic clip. Categoricals get per-observation distributions
 * smoothed by the prior weight.
 *
 * <p>Values in and out are in the parameter's own units (a categorical's value is its choice index).
 */
final class ParzenEstimator {
    private final Param param;
    private final double[] weights;
    // Numerical parameters.
    private final double low;
    private final double high;
    private final double q; // grid step in transformed space, 0 when continuous
    private final double[] mus;
    private final double[] sigmas;
    private final double[] logMass; // log mass of each kernel inside [low, high]
    // Categorical parameters: row j is kernel j's distribution over the choices.
    private final double[][] categorical;
    private final boolean unscaledDensity;

    /**
     * @param observations the parameter's values in the trials this estimator models, oldest first
     */
    ParzenEstimator(Param param, double[] observations, TpeSampler.Options o) {
        this.param = param;
        this.unscaledDensity = o.unscaledDensity();
        int n = observations.length;
        boolean considerPrior = o.considerPrior() || n == 0;
        this.weights = weights(n, considerPrior, o.priorWeight());
        if (param instanceof CategoricalParam c) {
            low = high = q = 0;
            mus = sigmas = logMass = null;
            int k = c.choices().size();
            int rows = considerPrior ? n + 1 : n;
            double fill = o.priorWeight() / rows;
            categorical = new double[rows][k];
            for (int j = 0; j < rows; j++) {
                Arrays.fill(categorical[j], fill);
                if (j < n) {
                    categorical[j][(int) observations[j]] += 1;
                }
                double sum = 0;
                for (double w : categorical[j]) {
                    sum += w;
                }
                for (int i = 0; i < k; i++) {
                    categorical[j][i] /= sum;
                }
            }
            return;
        }
        categorical = null;
        double[] bounds = bounds(param);
        low = bounds[0];
        high = bounds[1];
        q = bounds[2];
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = toUniform(observations[i]);
        }
        int m = considerPrior ? n + 1 : n;
        mus = Arrays.copyOf(x, m);
        if (considerPrior) {
            mus[n] = 0.5 * (low + high);
        }
        sigmas = bandwidths(mus, low, high, o.considerEndpoints());
        double maxSigma = high - low;
        double minSigma = o.considerMagicClip() ? (high - low) / Math.min(100.0, 1.0 + m) : 1e-12;
        for (int i = 0; i < m; i++) {
            sigmas[i] = Math.min(Math.max(sigmas[i], minSigma), maxSigma);
        }
        if (considerPrior) {
            sigmas[n] = high - low;
        }
        logMass = new double[m];
        for (int i = 0; i < m; i++) {
            logMass[i] = TruncatedNormal.logGaussMass((low - mus[i]) / sigmas[i], (high - mus[i]) / sigmas[i]);
        }
    }

    /** Optuna's default_weights: flat below 25 observations, then a ramp favouring recent ones. Plus the prior. */
    private static double[] weights(int n, boolean considerPrior, double priorWeight) {
        double[] w = new double[considerPrior ? n + 1 : n];
        if (n < 25) {
            Arrays.fill(w, 0, n, 1.0);
        } else {
            int ramp = n - 25;
            for (int i = 0; i < ramp; i++) {
                // np.linspace(1/n, 1, n - 25)
                w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
            }
            Arrays.fill(w, ramp, n, 1.0);
        }
        if (considerPrior) {
            w[n] = priorWeight;
        }
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /** Kernel range and grid step in the transformed (log for log params) space: {low, high, q}. */
    static double[] bounds(Param p) {
        if (p instanceof FloatParam f) {
            if (f.log()) {
                return new double[] {Math.log(f.low()), Math.log(f.high()), 0};
            }
            if (f.step() != null) {
                return new double[] {f.low() - 0.5 * f.step(), f.high() + 0.5 * f.step(), f.step()};
            }
            return new double[] {f.low(), f.high(), 0};
        }
        IntParam i = (IntParam) p;
        if (i.log()) {
            return new double[] {Math.log(i.low() - 0.5), Math.log(i.high() + 0.5), 0};
        }
        return new double[] {i.low() - 0.5 * i.step(), i.high() + 0.5 * i.step(), i.step()};
    }

    /** Each kernel's width: the larger gap to its sorted neighbours (range ends included). */
    private static double[] bandwidths(double[] mus, double low, double high, boolean considerEndpoints) {
        int m = mus.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        // Stable, as np.argsort on distinct keys; ties keep insertion order.
        Arrays.sort(order, (a, b) -> Double.compare(mus[a], mus[b]));
        double[] s = new double[m + 2];
        s[0] = low;
        for (int i = 0; i < m; i++) {
            s[i + 1] = mus[order[i]];
        }
        s[m + 1] = high;
        double[] sorted = new double[m];
        for (int i = 0; i < m; i++) {
            sorted[i] = Math.max(s[i + 1] - s[i], s[i + 2] - s[i + 1]);
        }
        if (!considerEndpoints && m >= 2) {
            sorted[0] = s[2] - s[1];
            sorted[m - 1] = s[m] - s[m - 1];
        }
        double[] sigmas = new double[m];
        for (int i = 0; i < m; i++) {
            sigmas[order[i]] = sorted[i];
        }
        return sigmas;
    }

    private double toUniform(double v) {
        return isLog() ? Math.log(v) : v;
    }

    private boolean isLog() {
        return (param instanceof FloatParam f && f.log()) || (param instanceof IntParam i && i.log());
    }

    /** {@code size} draws from the mixture, in the parameter's units (grid-snapped, clipped). */
    double[] sample(SplittableRandom rng, int size) {
        int[] active = new int[size];
        for (int s = 0; s < size; s++) {
            active[s] = pick(rng, weights);
        }
        double[] out = new double[size];
        for (int s = 0; s < size; s++) {
            int j = active[s];
            if (categorical != null) {
                out[s] = pick(rng, categorical[j]);
                continue;
            }
            double a = (low - mus[j]) / sigmas[j];
            double b = (high - mus[j]) / sigmas[j];
            double x = mus[j] + sigmas[j] * TruncatedNormal.ppf(rng.nextDouble(), a, b);
            out[s] = fromUniform(x);
        }
        return out;
    }

    private double fromUniform(double x) {
        if (param instanceof FloatParam f) {
            if (f.log()) {
                return Math.min(Math.max(Math.exp(x), f.low()), f.high());
            }
            if (f.step() != null) {
                return Grid.snap(x, f.low(), f.high(), f.step());
            }
            return Math.min(Math.max(x, f.low()), f.high());
        }
        IntParam i = (IntParam) param;
        if (i.log()) {
            return Math.min(Math.max(Math.rint(Math.exp(x)), i.low()), i.high());
        }
        return Grid.snap(x, i.low(), i.high(), i.step());
    }

    /** log density (log probability for grid and categorical parameters) of each value under the mixture. */
    double[] logPdf(double[] values) {
        double[] out = new double[values.length];
        double[] logW = new double[weights.length];
        for (int j = 0; j < weights.length; j++) {
            logW[j] = Math.log(weights[j]);
        }
        double[] terms = new double[weights.length];
        for (int s = 0; s < values.length; s++) {
            if (categorical != null) {
                int k = (int) values[s];
                double p = 0;
                for (int j = 0; j < weights.length; j++) {
                    p += weights[j] * categorical[j][k];
                }
                out[s] = Math.log(p);
                continue;
            }
            double x = toUniform(values[s]);
            for (int j = 0; j < weights.length; j++) {
                double lp;
                if (q == 0) {
                    double z = (x - mus[j]) / sigmas[j];
                    lp = TruncatedNormal.logPhi(z) - logMass[j];
                    if (!unscaledDensity) {
                        lp -= Math.log(sigmas[j]);
                    }
                } else {
                    double ub = Math.min(x + q / 2, high);
                    double lb = Math.max(x - q / 2, low);
                    lp = TruncatedNormal.logGaussMass((lb - mus[j]) / sigmas[j], (ub - mus[j]) / sigmas[j]) - logMass[j];
                }
                terms[j] = lp + logW[j];
            }
            out[s] = logSumExp(terms);
        }
        return out;
    }

    private static double logSumExp(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double x : v) {
            sum += Math.exp(x - max);
        }
        return max + Math.log(sum);
    }

    /** An index drawn with the given probabilities (they sum to 1). */
    private static int pick(SplittableRandom rng, double[] p) {
        double u = rng.nextDouble();
        double cum = 0;
        for (int i = 0; i < p.length; i++) {
            cum += p[i];
            if (u < cum) {
                return i;
            }
        }
        return p.length - 1;
    }
}
