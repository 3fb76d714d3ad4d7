package org.jbia.augment.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.jbia.augment.engine.Augmenter;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.AugmentSpec;

/**
 * Throughput of the lens example's geometric pipeline on random 100×100×3 float32 images: shift ±10,
 * both flips, rotation, zoom 0.9–1.1, crop to 67, one circular cutout of radius 2.5. The same work
 * as the OpenCV line of {@code shared/peers/augment_bench.py}.
 *
 * <p>Usage: {@code AugmentBench --images N --threads T [--rounds R]}. The last line printed is
 * {@code augment: X images/s}, the median over R timed rounds after a warm-up.
 */
public final class AugmentBench {
    /** The pipeline measured; public so a test can check it stays the lens example's. */
    public static final AugmentSpec LENS_GEOMETRY = new AugmentSpec(1, 10, 10, true, true, true, "nearest", 67,
            new double[] {0.9, 1.1}, null, 2.5, 1, null, null, null, "bilinear");

    private AugmentBench() {
    }

    public static void main(String[] args) {
        int images = 2000;
        int threads = 1;
        int rounds = 5;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--images" -> images = positive("--images", value);
                case "--threads" -> threads = positive("--threads", value);
                case "--rounds" -> rounds = positive("--rounds", value);
                default -> usage("unknown argument '" + args[i] + "'");
            }
            i++;
        }
        ImageStack stack = randomImages(images, 0L);
        double[] rates = measure(stack, threads, rounds);
        System.out.printf("images=%d threads=%d rounds=%d rates=%s%n", images, threads, rounds, Arrays.toString(rates));
        System.out.printf("augment: %.0f images/s%n", median(rates));
    }

    /** Images/s of each timed round, after warming the JIT on at least ~2 s worth of work. */
    static double[] measure(ImageStack stack, int threads, int rounds) {
        long warmUntil = System.nanoTime() + 2_000_000_000L;
        long seed = 1;
        do {
            Augmenter.augment(stack, LENS_GEOMETRY, seed++, threads);
        } while (System.nanoTime() < warmUntil);
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            ImageStack out = Augmenter.augment(stack, LENS_GEOMETRY, seed++, threads);
            long dt = System.nanoTime() - t0;
            if (out.count() != stack.count()) {
                throw new IllegalStateException("expected " + stack.count() + " images, got " + out.count());
            }
            rates[r] = stack.count() / (dt / 1e9);
        }
        return rates;
    }

    /** N×100×100×3 values ~ N(5, 3), as the Python peer draws them. */
    static ImageStack randomImages(int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] px = new float[count * 100 * 100 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (5 + 3 * gaussian(rng));
        }
        return new ImageStack(count, 100, 100, 3, px);
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller; only the values' spread matters here, not their exact distribution.
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
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
        usage(flag + " = " + value + " is not allowed: it must be an integer >= 1");
        return 0;
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: AugmentBench --images N --threads T [--rounds R]");
        System.exit(2);
    }
}
