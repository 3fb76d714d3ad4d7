package org.jbia.optimize.bench;

import java.util.Map;
import org.jbia.optimize.search.Param;
import org.jbia.optimize.search.SearchSpace;

/**
 * The three minimisation problems of {@code shared/peers/optuna_ref.py}, with the same domains and
 * formulas, so that jBIA's sampler and Optuna's can be compared side by side.
 */
public enum BenchFunction {
    /** Branin on x1 ∈ [−5, 10], x2 ∈ [0, 15]; minimum 0.397887. */
    BRANIN(0.397887) {
        @Override
        SearchSpace space() {
            return SearchSpace.builder().add(Param.uniform("x1", -5, 10)).add(Param.uniform("x2", 0, 15)).build();
        }

        @Override
        public double evaluate(Map<String, Object> p) {
            double x1 = num(p, "x1");
            double x2 = num(p, "x2");
            double b = 5.1 / (4 * Math.PI * Math.PI);
            double c = 5 / Math.PI;
            double t = 1 / (8 * Math.PI);
            double r = x2 - b * x1 * x1 + c * x1 - 6;
            return r * r + 10 * (1 - t) * Math.cos(x1) + 10;
        }
    },
    /** Hartmann 6-D on [0, 1]^6; minimum −3.32237. */
    HARTMANN6(-3.32237) {
        private final double[][] a = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14},
                                      {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
        private final double[][] pm = {{1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
                                       {2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}};
        private final double[] alpha = {1.0, 1.2, 3.0, 3.2};

        @Override
        SearchSpace space() {
            SearchSpace.Builder b = SearchSpace.builder();
            for (int i = 1; i <= 6; i++) {
                b.add(Param.uniform("x" + i, 0, 1));
            }
            return b.build();
        }

        @Override
        public double evaluate(Map<String, Object> p) {
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                double inner = 0;
                for (int j = 0; j < 6; j++) {
                    double d = num(p, "x" + (j + 1)) - pm[i][j] * 1e-4;
                    inner += a[i][j] * d * d;
                }
                sum += alpha[i] * Math.exp(-inner);
            }
            return -sum;
        }
    },
    /**
     * c ∈ {a, b, c, d} (offsets 0, 0.5, 1, 1.5), n int in [1, 64], lr log-uniform in [1e-5, 1e-1];
     * f = offset(c) + (log10 lr + 3)² + ((n − 24) / 16)²; minimum 0.
     */
    MIXED(0.0) {
        private final Map<String, Double> offsets = Map.of("a", 0.0, "b", 0.5, "c", 1.0, "d", 1.5);

        @Override
        SearchSpace space() {
            return SearchSpace.builder()
                    .add(Param.categorical("c", "a", "b", "c", "d"))
                    .add(Param.integer("n", 1, 64))
                    .add(Param.logUniform("lr", 1e-5, 1e-1))
                    .build();
        }

        @Override
        public double evaluate(Map<String, Object> p) {
            double lr = Math.log10(num(p, "lr")) + 3;
            double n = (num(p, "n") - 24) / 16;
            return offsets.get((String) p.get("c")) + lr * lr + n * n;
        }
    };

    private final double minimum;

    BenchFunction(double minimum) {
        this.minimum = minimum;
    }

    /** The known global minimum, for regret. */
    public double minimum() {
        return minimum;
    }

    abstract SearchSpace space();

    /** The objective at a point of {@link #space()}. */
    public abstract double evaluate(Map<String, Object> params);

    /** The function called {@code name} (branin, hartmann6, mixed). */
    public static BenchFunction named(String name) {
        for (BenchFunction f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("--function = '" + name + "' is not allowed: expected one of branin, hartmann6, mixed");
    }

    private static double num(Map<String, Object> p, String key) {
        return ((Number) p.get(key)).doubleValue();
    }
}
