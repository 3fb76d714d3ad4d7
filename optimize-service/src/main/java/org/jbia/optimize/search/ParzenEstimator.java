package org.jbia.optimize.search;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Optuna 3.1's Parzen estimator: a weighted mixture with one kernel per observed trial plus a prior
 * kernel, over one parameter (univariate TPE) or several jointly (multivariate TPE, one kernel per
 * trial spanning all its parameters).
 *
 * <ul>
 *   <li>Numerical parameters: truncated Gaussians on the parameter's range, in log space for log
 *       parameters; for int and stepped parameters the range is widened by half a step and a
 *       value's probability is the kernel mass over its grid cell. Bandwidth: univariate, the
 *       larger gap to the sorted neighbours (endpoints not considered); multivariate, Scott's
 *       rule 0.2·n^(−1/(d+4)) of the range. Then the "magic clip" to at least range/min(100, 1 + #kernels);
 *       the prior kernel sits mid-range with the whole range as width.</li>
 *   <li>Categorical parameters: each observation's kernel puts prior_weight/(n+1) on every choice
 *       and 1 more on its own, normalised; the prior kernel is uniform.</li>
 *   <li>Weights: Optuna's default_weights (flat below 25 observations, then older observations
 *       ramped down), the prior weighted by prior_weight, all normalised.</li>
 * </ul>
 *
 * <p>Optuna 3.1's continuous log density leaves out the −log σ term of each kernel (its
 * truncnorm.logpdf does not divide by the scale); {@link TpeSampler.Options#unscaledDensity()}
 * reproduces that, and measured better on the benchmarks (see bench/tpe).
 *
 * <p>Checked against Optuna 3.1 on the same histories: the kernels, weights and densities agree,
 * and fed NumPy's random numbers jBIA repeats Optuna's runs on float parameters trial for trial.
 * Where the two part, it is over ties, which neither orders on purpose: equal observations (common
 * for int parameters) share their neighbour gaps here in stable order, in Optuna in its quicksort's
 * order (which matters once older kernels weigh less); and choices whose scores tie exactly stay
 * tied here (see {@code choiceMixture}), where Optuna's BLAS sum may round one of them up.
 *
 * <p>Values in and out are in the parameters' own units (a categorical's value is its choice index).
 */
final class ParzenEstimator {
    private final List<Param> params;
    private final double[] logWeights;
    private final double[] weights;
    private final boolean unscaledDensity;
    // Per parameter (first index); numerical ones.
    private final double[] low;
    private final double[] high;
    private final double[] q; // grid step in transformed space, 0 when continuous
    private final double[][] mus;
    private final double[][] sigmas;
    private final double[][] logMass; // log mass of each kernel inside [low, high]
    // Categorical ones: [param][kernel][choice].
    private final double[][][] categorical;
    // A lone categorical parameter: the mixture's probability of each choice, else null.
    private final double[] choiceMixture;

    /** Univariate estimator for {@code param} from its observed values, oldest first. */
    ParzenEstimator(Param param, double[] observations, TpeSampler.Options o) {
        this(List.of(param), column(observations), o, false);
    }

    /**
     * @param observations one row per trial, oldest first, one column per parameter of {@code params}
     * @param multivariate Scott's-rule bandwidths (joint kernels) instead of neighbour distances
     */
    ParzenEstimator(List<Param> params, double[][] observations, TpeSampler.Options o, boolean multivariate) {
        this.params = List.copyOf(params);
        this.unscaledDensity = o.unscaledDensity();
        int n = observations.length;
        int d = params.size();
        boolean considerPrior = o.considerPrior() || n == 0;
        int m = considerPrior ? n + 1 : n;
        this.weights = weights(n, considerPrior, o.priorWeight());
        this.logWeights = new double[m];
        for (int j = 0; j < m; j++) {
            logWeights[j] = Math.log(weights[j]);
        }
        low = new double[d];
        high = new double[d];
        q = new double[d];
        mus = new double[d][];
        sigmas = new double[d][];
        logMass = new double[d][];
        categorical = new double[d][][];
        double scott = 0.2 * Math.pow(Math.max(n, 1), -1.0 / (d + 4));
        for (int p = 0; p < d; p++) {
            Param param = params.get(p);
            if (param instanceof CategoricalParam c) {
                categorical[p] = categoricalKernels(c, observations, p, n, m, o.priorWeight());
                continue;
            }
            double[] bounds = bounds(param);
            low[p] = bounds[0];
            high[p] = bounds[1];
            q[p] = bounds[2];
            double range = high[p] - low[p];
            double[] mu = new double[m];
            for (int i = 0; i < n; i++) {
                mu[i] = isLog(param) ? Math.log(observations[i][p]) : observations[i][p];
            }
            if (considerPrior) {
                mu[n] = 0.5 * (low[p] + high[p]);
            }
            double[] sigma;
            if (multivariate) {
                sigma = new double[m];
                Arrays.fill(sigma, scott * range);
            } else {
                sigma = neighbourBandwidths(mu, low[p], high[p], o.considerEndpoints());
            }
            double minSigma = o.considerMagicClip() ? range / Math.min(100.0, 1.0 + m) : 1e-12;
            for (int j = 0; j < m; j++) {
                sigma[j] = Math.min(Math.max(sigma[j], minSigma), range);
            }
            if (considerPrior) {
                sigma[n] = range;
            }
            double[] mass = new double[m];
            for (int j = 0; j < m; j++) {
                mass[j] = TruncatedNormal.logGaussMass((low[p] - mu[j]) / sigma[j], (high[p] - mu[j]) / sigma[j]);
            }
            mus[p] = mu;
            sigmas[p] = sigma;
            logMass[p] = mass;
        }
        choiceMixture = d == 1 && categorical[0] != null ? choiceMixture(categorical[0], weights, observations, n) : null;
    }

    /**
     * Σ_j w_j · kernel_j(choice) for each choice, summed as one shared floor (every kernel's mass on a
     * choice it did not observe) plus the bumps of the kernels that observed the choice. Choices
     * observed by equally weighted kernels thus get bit-identical probabilities, so a tie in
     * log l − log g stays a tie and goes to the first candidate drawn, as the argmax intends,
     * instead of to whichever choice rounding happened to favour.
     */
    private static double[] choiceMixture(double[][] kernels, double[] weights, double[][] observations, int n) {
        int k = kernels[0].length;
        double[] out = new double[k];
        if (k == 1) {
            out[0] = 1.0;
            return out;
        }
        double[] floor = new double[kernels.length];
        double common = 0;
        for (int j = 0; j < kernels.length; j++) {
            // The prior kernel is uniform; an observation's kernel has the same mass on every other choice.
            int other = j < n && (int) observations[j][0] == 0 ? 1 : 0;
            floor[j] = kernels[j][other];
            common += weights[j] * floor[j];
        }
        double[] bumps = new double[k];
        for (int j = 0; j < n; j++) {
            int c = (int) observations[j][0];
            bumps[c] += weights[j] * (kernels[j][c] - floor[j]);
        }
        for (int c = 0; c < k; c++) {
            out[c] = common + bumps[c];
        }
        return out;
    }

    private static double[][] column(double[] values) {
        double[][] out = new double[values.length][1];
        for (int i = 0; i < values.length; i++) {
            out[i][0] = values[i];
        }
        return out;
    }

    private static double[][] categoricalKernels(CategoricalParam c, double[][] obs, int p, int n, int m, double priorWeight) {
        int k = c.choices().size();
        double fill = priorWeight / m;
        double[][] kernels = new double[m][k];
        // Each row's total is fill·k (+ 1 for an observation's own choice) wherever that choice is;
        // dividing by it rather than by a running sum keeps the rows exact permutations of one another.
        for (int j = 0; j < m; j++) {
            double total = j < n ? fill * k + 1 : fill * k;
            Arrays.fill(kernels[j], fill / total);
            if (j < n) {
                kernels[j][(int) obs[j][p]] = (fill + 1) / total;
            }
        }
        return kernels;
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
    private static double[] neighbourBandwidths(double[] mus, double low, double high, boolean considerEndpoints) {
        int m = mus.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
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

    private static boolean isLog(Param param) {
        return (param instanceof FloatParam f && f.log()) || (param instanceof IntParam i && i.log());
    }

    /** The normalised mixture weights: one per observation (oldest first), then the prior's if any. */
    double[] weights() {
        return weights.clone();
    }

    /** Kernel centres of numerical parameter {@code p}, in the transformed (log for log params) space. */
    double[] mus(int p) {
        return mus[p].clone();
    }

    /** Kernel bandwidths of numerical parameter {@code p}, in the same order as {@link #mus(int)}. */
    double[] sigmas(int p) {
        return sigmas[p].clone();
    }

    /** Each kernel's probabilities over the choices of categorical parameter {@code p}: [kernel][choice]. */
    double[][] choiceProbabilities(int p) {
        double[][] out = new double[categorical[p].length][];
        for (int j = 0; j < out.length; j++) {
            out[j] = categorical[p][j].clone();
        }
        return out;
    }

    /** {@code size} draws from the univariate mixture, in the parameter's units (grid-snapped, clipped). */
    double[] sample(RandomGenerator rng, int size) {
        double[][] joint = sampleJoint(rng, size);
        double[] out = new double[size];
        for (int s = 0; s < size; s++) {
            out[s] = joint[s][0];
        }
        return out;
    }

    /** {@code size} joint draws: one row per draw, one column per parameter. */
    double[][] sampleJoint(RandomGenerator rng, int size) {
        int[] active = new int[size];
        for (int s = 0; s < size; s++) {
            active[s] = pick(rng, weights);
        }
        double[][] out = new double[size][params.size()];
        for (int p = 0; p < params.size(); p++) {
            for (int s = 0; s < size; s++) {
                int j = active[s];
                if (categorical[p] != null) {
                    out[s][p] = pick(rng, categorical[p][j]);
                    continue;
                }
                double a = (low[p] - mus[p][j]) / sigmas[p][j];
                double b = (high[p] - mus[p][j]) / sigmas[p][j];
                double x = mus[p][j] + sigmas[p][j] * TruncatedNormal.ppf(rng.nextDouble(), a, b);
                out[s][p] = fromUniform(params.get(p), x);
            }
        }
        return out;
    }

    private static double fromUniform(Param param, double x) {
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

    /** Univariate log density (log probability for grid and categorical parameters) of each value. */
    double[] logPdf(double[] values) {
        return logPdfJoint(column(values));
    }

    /** Joint log density of each row of {@code rows}. */
    double[] logPdfJoint(double[][] rows) {
        int m = weights.length;
        double[] out = new double[rows.length];
        if (choiceMixture != null) {
            for (int s = 0; s < rows.length; s++) {
                out[s] = Math.log(choiceMixture[(int) rows[s][0]]);
            }
            return out;
        }
        double[] terms = new double[m];
        for (int s = 0; s < rows.length; s++) {
            System.arraycopy(logWeights, 0, terms, 0, m);
            for (int p = 0; p < params.size(); p++) {
                double v = rows[s][p];
                if (categorical[p] != null) {
                    int k = (int) v;
                    for (int j = 0; j < m; j++) {
                        terms[j] += Math.log(categorical[p][j][k]);
                    }
                    continue;
                }
                double x = isLog(params.get(p)) ? Math.log(v) : v;
                for (int j = 0; j < m; j++) {
                    terms[j] += kernelLogPdf(p, j, x);
                }
            }
            out[s] = logSumExp(terms);
        }
        return out;
    }

    private double kernelLogPdf(int p, int j, double x) {
        double mu = mus[p][j];
        double sigma = sigmas[p][j];
        if (q[p] == 0) {
            double lp = TruncatedNormal.logPhi((x - mu) / sigma) - logMass[p][j];
            return unscaledDensity ? lp : lp - Math.log(sigma);
        }
        double ub = Math.min(x + q[p] / 2, high[p]);
        double lb = Math.max(x - q[p] / 2, low[p]);
        return TruncatedNormal.logGaussMass((lb - mu) / sigma, (ub - mu) / sigma) - logMass[p][j];
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
    private static int pick(RandomGenerator rng, double[] p) {
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
