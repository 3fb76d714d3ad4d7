package org.jbia.cli.simulate;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.Problems;

/**
 * Simulates g r i survey cutouts of strong gravitational lenses and of things that are not lenses,
 * background subtracted and in the counts of pyBIA's lens example (where {@code max_pixel = 100}
 * per band is the normalisation), so that the example's whole workflow can run with no data of one's own.
 *
 * <p>A lens is a red elliptical (Sérsic n 2.5–4.5) whose mass, a singular isothermal ellipsoid plus
 * external shear, bends the light of a blue star-forming galaxy behind it into arcs, rings or
 * multiple images (ray-traced on 4x4 sub-pixels). The non-lenses are the mix of {@link NonLensKind}.
 * Every cutout gets a PSF (Gaussian core plus wing, seeing 0.8–1.2" in i), field galaxies and stars, and
 * sky plus Poisson noise. Pixel scale {@value #PIXEL_SCALE_ARCSEC}" (DECam, as in DES and DECaLS).
 * See {@code docs/simulator.md} for every range.
 *
 * <p>Determinism: each image has its own random stream, derived from the seed, its class and its
 * index. The same seed gives the same arrays whatever the number of threads, and the first n images
 * of a larger sample are the n images of a smaller one.
 */
public final class LensSimulator {
    public static final int DEFAULT_SIZE = 100;
    public static final double PIXEL_SCALE_ARCSEC = 0.263;
    public static final List<String> BANDS = List.of("g", "r", "i");
    public static final int MIN_SIZE = 32;
    public static final int MAX_SIZE = 1024;
    public static final int MAX_THREADS = 256;

    /** Draws of one lens image before the last is kept, detectable or not. */
    static final int MAX_LENS_DRAWS = 20;
    /** Arc pixels a lens needs to count as detectable, and the central region they are counted in. */
    static final int MIN_ARC_PIXELS = 25;
    static final int ARC_REGION = 67;

    private static final long LENS_STREAM = 0x4c454e53L;
    private static final long OTHER_STREAM = 0x4f544852L;

    private LensSimulator() {
    }

    /** {@code lenses} lenses and {@code others} non-lenses, 100x100x3, on every available core. */
    public static Sample simulate(int lenses, int others, long seed) {
        return simulate(lenses, others, seed, DEFAULT_SIZE);
    }

    /** As {@link #simulate(int, int, long)}, with cutouts of side {@code size} at the same pixel scale. */
    public static Sample simulate(int lenses, int others, long seed, int size) {
        return simulate(lenses, others, seed, size, Runtime.getRuntime().availableProcessors());
    }

    /**
     * As {@link #simulate(int, int, long, int)}, on {@code threads} threads; the result does not
     * depend on their number.
     *
     * @throws org.jbia.common.schema.InvalidSpecException naming every argument out of range
     */
    public static Sample simulate(int lenses, int others, long seed, int size, int threads) {
        return simulate(lenses, others, seed, size, threads, EnumSet.allOf(NonLensKind.class));
    }

    /**
     * As {@link #simulate(int, int, long, int, int)}, with non-lenses of the given kinds only, each keeping
     * its share relative to the others (a set with fewer confusers, or one kind to study alone).
     *
     * @throws org.jbia.common.schema.InvalidSpecException naming every argument out of range
     */
    public static Sample simulate(int lenses, int others, long seed, int size, int threads, Set<NonLensKind> kinds) {
        Problems problems = new Problems();
        if (kinds.isEmpty()) {
            problems.add("kinds", kinds, "name at least one of " + Arrays.toString(NonLensKind.values()));
        }
        problems.requireNonNegative("lenses", lenses);
        problems.requireNonNegative("others", others);
        problems.requireInRange("size", size, MIN_SIZE, MAX_SIZE);
        problems.requireInRange("threads", threads, 1, MAX_THREADS);
        long perImage = 3L * size * size;
        if (problems.isEmpty() && Math.max(lenses, others) * perImage > Integer.MAX_VALUE - 8) {
            long most = (Integer.MAX_VALUE - 8) / perImage;
            problems.add(lenses >= others ? "lenses" : "others", Math.max(lenses, others),
                    "one array holds at most " + most + " images of " + size + "x" + size + "x3");
        }
        problems.throwIfAny("simulation");
        Set<NonLensKind> drawn = EnumSet.copyOf(kinds);

        ImageStack lensStack = ImageStack.zeros(lenses, size, size, 3);
        ImageStack otherStack = ImageStack.zeros(others, size, size, 3);
        IntStream jobs = IntStream.range(0, lenses + others);
        Runnable run = () -> (threads > 1 ? jobs.parallel() : jobs).forEach(i -> {
            if (i < lenses) {
                float[] image = lens(imageSeed(seed, LENS_STREAM, i), size);
                System.arraycopy(image, 0, lensStack.pixels(), i * image.length, image.length);
            } else {
                float[] image = other(imageSeed(seed, OTHER_STREAM, i - lenses), size, drawn);
                System.arraycopy(image, 0, otherStack.pixels(), (i - lenses) * image.length, image.length);
            }
        });
        if (threads > 1) {
            ForkJoinPool pool = new ForkJoinPool(threads);
            try {
                pool.submit(run).join();
            } finally {
                pool.shutdown();
            }
        } else {
            run.run();
        }
        return new Sample(lensStack, otherStack);
    }

    /**
     * One lens cutout, H×W×3: the first of the image's draws whose arcs are {@link #detectable}, as
     * lens-finding training sets keep only lenses whose arcs show (a lens hidden in its deflector's
     * light is a label the cutout does not support).
     */
    static float[] lens(long imageSeed, int size) {
        LensRender render = renderLens(imageSeed, size);
        for (int attempt = 1; attempt < MAX_LENS_DRAWS && !detectable(render, size); attempt++) {
            render = renderLens(mix(imageSeed + attempt), size);
        }
        return render.lens();
    }

    /**
     * Whether at least {@link #MIN_ARC_PIXELS} g-band pixels of the central {@link #ARC_REGION} region
     * are arc light that is 3σ above the sky noise and brighter than everything else there.
     */
    static boolean detectable(LensRender render, int size) {
        int bands = 3;
        float[] lens = render.lens();
        float[] rest = render.deflectorOnly();
        double[] sky = new double[size * size];
        for (int p = 0; p < sky.length; p++) {
            sky[p] = rest[p * bands];
        }
        double sigma = 1.4826 * medianAbsoluteDeviation(sky);
        int from = Math.max(0, (size - ARC_REGION) / 2);
        int to = Math.min(size, from + ARC_REGION);
        int pixels = 0;
        for (int y = from; y < to; y++) {
            for (int x = from; x < to; x++) {
                int g = (y * size + x) * bands;
                double arc = lens[g] - rest[g];
                if (arc > 3 * sigma && arc > rest[g]) {
                    pixels++;
                }
            }
        }
        return pixels >= MIN_ARC_PIXELS;
    }

    private static double medianAbsoluteDeviation(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = Math.abs(values[i] - median);
        }
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** One non-lens cutout, H×W×3, of one of {@code kinds}. */
    static float[] other(long imageSeed, int size, Set<NonLensKind> kinds) {
        SplittableRandom rng = new SplittableRandom(imageSeed);
        ObservingConditions conditions = ObservingConditions.draw(rng, PIXEL_SCALE_ARCSEC);
        long noiseSeed = rng.nextLong();
        SceneSampler sampler = new SceneSampler(rng, size, PIXEL_SCALE_ARCSEC);
        Scene scene = sampler.nonLens(sampler.nonLensKind(kinds));
        return Renderer.observe(scene, conditions, size, new SplittableRandom(noiseSeed));
    }

    /**
     * A lens cutout and the same cutout without the lensed source (same deflector, field, PSF and
     * noise draws): their difference is the arcs.
     */
    record LensRender(float[] lens, float[] deflectorOnly, SieLens mass, double magnification) {
    }

    static LensRender renderLens(long imageSeed, int size) {
        SplittableRandom rng = new SplittableRandom(imageSeed);
        ObservingConditions conditions = ObservingConditions.draw(rng, PIXEL_SCALE_ARCSEC);
        long noiseSeed = rng.nextLong();
        SceneSampler.LensScene drawn = new SceneSampler(rng, size, PIXEL_SCALE_ARCSEC).lens();
        float[] lens = Renderer.observe(drawn.scene(), conditions, size, new SplittableRandom(noiseSeed));
        float[] alone = Renderer.observe(drawn.scene().withoutLensedLight(), conditions, size,
                new SplittableRandom(noiseSeed));
        return new LensRender(lens, alone, drawn.lens(), drawn.magnification());
    }

    /** Per-image seed: SplitMix64's finaliser over (seed, stream, index), so images never share a stream. */
    static long imageSeed(long seed, long stream, int index) {
        return mix(mix(seed ^ mix(stream)) + 0x9E3779B97F4A7C15L * (index + 1L));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
