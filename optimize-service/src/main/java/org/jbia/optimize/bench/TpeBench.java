package org.jbia.optimize.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import org.jbia.optimize.search.Direction;
import org.jbia.optimize.search.RandomSampler;
import org.jbia.optimize.search.Sampler;
import org.jbia.optimize.search.SearchSpace;
import org.jbia.optimize.search.TpeSampler;
import org.jbia.optimize.search.TrialRecord;

/**
 * Runs the TPE sampler alone (sequential trials, no orchestration) on a benchmark function and
 * prints the mean best value over seeds, with random search for comparison. The last line is
 * {@code tpe <function>: mean best <v> over <S> seeds of <T> trials}.
 *
 * <pre>TpeBench --function branin|hartmann6|mixed [--trials 100] [--seeds 20] [--first-seed 0] [--per-seed]
 *          [--streams trial|optuna]</pre>
 *
 * <p>{@code --streams trial} (the default) gives each trial its own random stream, as studies do.
 * {@code --streams optuna} draws the TPE sampler's random numbers from NumPy's two
 * {@code RandomState(seed)} streams as Optuna's {@code TPESampler(seed)} does
 * ({@link TpeSampler#withOptunaStreams}), which pairs each seed's run with Optuna's: a mean over 20
 * seeds then compares the samplers rather than the luck of two unrelated sets of random numbers.
 *
 * <p>Seeds run from {@code --first-seed} on; {@code --per-seed} also prints each seed's best
 * ({@code seed <s>: tpe <v> random <w>}), which bench/tpe/noise.sh uses to measure how much a
 * mean over few seeds varies.
 */
public final class TpeBench {

    private TpeBench() {
    }

    /** The best value of each seed's run. */
    static double[] bests(BenchFunction f, int trials, int seeds, LongFunction<Sampler> samplerForSeed) {
        return bests(f, trials, 0, seeds, samplerForSeed);
    }

    /** The best value of each run for seeds {@code firstSeed} .. {@code firstSeed + seeds - 1}. */
    static double[] bests(BenchFunction f, int trials, int firstSeed, int seeds, LongFunction<Sampler> samplerForSeed) {
        SearchSpace space = f.space();
        double[] out = new double[seeds];
        for (int s = 0; s < seeds; s++) {
            Sampler sampler = samplerForSeed.apply(firstSeed + s);
            List<TrialRecord> history = new ArrayList<>();
            double best = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                Map<String, Object> params = sampler.sample(space, history, t);
                double v = f.evaluate(params);
                history.add(TrialRecord.complete(t, params, v));
                best = Math.min(best, v);
            }
            out[s] = best;
        }
        return out;
    }

    public static void main(String[] args) {
        String function = null;
        int trials = 100;
        int seeds = 20;
        int firstSeed = 0;
        boolean perSeed = false;
        String streams = "trial";
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--function" -> function = value;
                case "--trials" -> trials = positive("--trials", value);
                case "--seeds" -> seeds = positive("--seeds", value);
                case "--first-seed" -> firstSeed = nonNegative("--first-seed", value);
                case "--streams" -> {
                    if (!"trial".equals(value) && !"optuna".equals(value)) {
                        usage("--streams = '" + value + "' is not allowed: expected trial or optuna");
                    }
                    streams = value;
                }
                case "--per-seed" -> {
                    perSeed = true;
                    continue;
                }
                default -> usage("unknown argument '" + args[i] + "'");
            }
            i++;
        }
        if (function == null) {
            usage("--function is required");
        }
        BenchFunction f;
        try {
            f = BenchFunction.named(function);
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return;
        }
        String name = f.name().toLowerCase(Locale.ROOT);
        long start = System.nanoTime();
        double[] random = bests(f, trials, firstSeed, seeds, s -> new RandomSampler(s));
        boolean optunaStreams = "optuna".equals(streams);
        double[] tpe = bests(f, trials, firstSeed, seeds, s -> optunaStreams
                ? TpeSampler.withOptunaStreams(TpeSampler.Options.defaults(Direction.MINIMIZE, s))
                : new TpeSampler(Direction.MINIMIZE, s));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (perSeed) {
            for (int s = 0; s < seeds; s++) {
                System.out.printf(Locale.ROOT, "seed %d: tpe %.17g random %.17g%n", firstSeed + s, tpe[s], random[s]);
            }
        }
        System.out.printf(Locale.ROOT, "random %s: mean best %.6f (median %.6f) over %d seeds of %d trials%n",
                name, mean(random), median(random), seeds, trials);
        System.out.printf(Locale.ROOT, "known minimum %.6f; mean regret tpe %.6f, random %.6f; %s streams; %.1f s%n",
                f.minimum(), mean(tpe) - f.minimum(), mean(random) - f.minimum(), streams, seconds);
        System.out.printf(Locale.ROOT, "tpe %s: mean best %.6f over %d seeds of %d trials%n",
                name, mean(tpe), seeds, trials);
    }

    private static int positive(String flag, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage(flag + " = '" + value + "' is not allowed: expected an integer >= 1");
        return 0;
    }

    private static int nonNegative(String flag, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage(flag + " = '" + value + "' is not allowed: expected an integer >= 0");
        return 0;
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: TpeBench --function branin|hartmann6|mixed [--trials T] [--seeds S] [--first-seed F] [--per-seed] [--streams trial|optuna]");
        System.exit(2);
    }

    static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
