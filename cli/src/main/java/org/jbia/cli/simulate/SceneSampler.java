package org.jbia.cli.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Draws the scenes of one cutout from a random stream: a lens, or one of the {@link NonLensKind}s.
 * Sizes are drawn in arcseconds and turned into pixels with the pixel scale; fluxes are in the
 * counts of the real cutouts (g, r, i), whose ranges they were chosen to match.
 */
final class SceneSampler {
    /** Deflector (and lone elliptical) total i flux, counts: log-uniform. */
    static final double ELLIPTICAL_FLUX_MIN = 6e3;
    static final double ELLIPTICAL_FLUX_MAX = 2e5;
    /**
     * Einstein radius, arcsec; brighter deflectors get larger radii (Faber-Jackson, loosely). The real
     * candidates' arcs lie 10–17 px from their deflectors (bench/simulator/compare.py), and arcs that close
     * to the PSF's width look like the companions of the hard negatives.
     */
    static final double EINSTEIN_MIN = 2.0;
    static final double EINSTEIN_MAX = 3.6;
    /**
     * Lensed (observed) g flux of the source, counts: log-uniform, which sets the arcs' signal to noise. The
     * floor keeps the arcs detectable, as lens-finding training sets do: a lens nobody could see in the
     * cutout teaches a network nothing but noise. Brighter than the 20 real candidates' arcs (about 300 g
     * counts above 3 sigma there, 3800 here): with arcs that faint, a network trained on 20 lenses learns
     * "a central elliptical" and not arcs (docs/simulator.md).
     */
    static final double ARC_FLUX_MIN = 3000;
    static final double ARC_FLUX_MAX = 15000;
    /**
     * Source half-light radius, arcsec: resolved sources, so that the lensed images are arcs, not dots the
     * size of the PSF that only their positions could tell from companions.
     */
    static final double SOURCE_RE_MIN = 0.3;
    static final double SOURCE_RE_MAX = 0.9;
    /** Total magnification a source position must reach, else another position is drawn. */
    static final double MIN_MAGNIFICATION = 4;
    /** Source offsets are drawn inside this fraction of the Einstein radius: near and inside the caustics. */
    static final double SOURCE_OFFSET_MAX = 0.5;
    /** Faint field galaxies and stars per 100x100 pixels. */
    static final double FIELD_GALAXIES = 10;
    static final double FIELD_STARS = 0.6;
    /**
     * Where the primary sits, pixels from the cutout's middle: the real cutouts' deflectors are off centre by
     * a median of 5 px left (x) and 3.5 px down (y, the row index), scattered by about 3 px.
     */
    static final double CENTRE_OFFSET_X = -5;
    static final double CENTRE_OFFSET_Y = 3.5;
    static final double CENTRING = 4;
    /** Chance that an elliptical has one to four fainter red neighbours (a group). */
    static final double GROUP_CHANCE = 0.5;

    private final SplittableRandom rng;
    private final int size;
    private final double scale;
    private final double centre;

    /** A lens scene, with its lens for those that measure where the arcs should be. */
    record LensScene(Scene scene, SieLens lens, double magnification) {
    }

    /**
     * @param size       cutout side, pixels
     * @param pixelScale arcsec per pixel
     */
    SceneSampler(SplittableRandom rng, int size, double pixelScale) {
        this.rng = rng;
        this.size = size;
        this.scale = pixelScale;
        this.centre = (size - 1) / 2.0;
    }

    LensScene lens() {
        List<Component> components = new ArrayList<>();
        field(components);
        double[] at = primaryPosition();
        double x = at[0];
        double y = at[1];
        double fluxI = logUniform(ELLIPTICAL_FLUX_MIN, ELLIPTICAL_FLUX_MAX);
        group(components, x, y, fluxI);
        SersicProfile light = ellipticalShape(x, y, fluxI);
        components.add(new Component.Galaxy(light, times(ellipticalColour(), fluxI)));

        double brightness = Math.log(fluxI / ELLIPTICAL_FLUX_MIN) / Math.log(ELLIPTICAL_FLUX_MAX / ELLIPTICAL_FLUX_MIN);
        double u = 0.6 * brightness + 0.4 * rng.nextDouble();
        double einstein = (EINSTEIN_MIN + (EINSTEIN_MAX - EINSTEIN_MIN) * u) / scale;
        double q = clamp(light.axisRatio() + 0.08 * rng.nextGaussian(), 0.5, 1.0);
        double angle = light.angle() + Math.toRadians(10) * rng.nextGaussian();
        SieLens lens = new SieLens(x, y, einstein, q, angle, rng.nextDouble(0, 0.08), rng.nextDouble(0, Math.PI));

        double[] colour = sourceColour();
        Component.LensedGalaxy best = null;
        double bestMagnification = -1;
        for (int attempt = 0; attempt < 30 && bestMagnification < MIN_MAGNIFICATION; attempt++) {
            double r = einstein * SOURCE_OFFSET_MAX * Math.sqrt(rng.nextDouble());
            double t = rng.nextDouble(0, 2 * Math.PI);
            // Parts with a total g flux of 1, so that the traced g flux is the magnification.
            List<Component.Galaxy> parts = starForming(x + r * Math.cos(t), y + r * Math.sin(t), colour, 1,
                    SOURCE_RE_MIN, SOURCE_RE_MAX);
            Component.LensedGalaxy candidate = new Component.LensedGalaxy(lens, parts);
            double magnification = Renderer.trace(candidate, size + 64, 32, 2, 1e-5, null)[0];
            if (magnification > bestMagnification) {
                best = candidate;
                bestMagnification = magnification;
            }
        }
        double scaleFlux = logUniform(ARC_FLUX_MIN, ARC_FLUX_MAX) / bestMagnification;
        List<Component.Galaxy> parts = new ArrayList<>();
        for (Component.Galaxy part : best.parts()) {
            parts.add(new Component.Galaxy(part.shape(), times(part.flux(), scaleFlux)));
        }
        components.add(new Component.LensedGalaxy(lens, parts));
        return new LensScene(new Scene(components), lens, bestMagnification);
    }

    Scene nonLens(NonLensKind kind) {
        List<Component> components = new ArrayList<>();
        field(components);
        double[] at = primaryPosition();
        double x = at[0];
        double y = at[1];
        switch (kind) {
            case LONE_ELLIPTICAL -> {
                double fluxI = logUniform(ELLIPTICAL_FLUX_MIN, ELLIPTICAL_FLUX_MAX);
                group(components, x, y, fluxI);
                components.add(elliptical(x, y, fluxI));
            }
            case ELLIPTICAL_WITH_COMPANIONS -> {
                double fluxI = logUniform(ELLIPTICAL_FLUX_MIN, ELLIPTICAL_FLUX_MAX);
                group(components, x, y, fluxI);
                components.add(elliptical(x, y, fluxI));
                int companions = 1 + rng.nextInt(3);
                for (int i = 0; i < companions; i++) {
                    double r = rng.nextDouble(EINSTEIN_MIN * 0.8, EINSTEIN_MAX * 1.5) / scale;
                    double t = rng.nextDouble(0, 2 * Math.PI);
                    components.addAll(starForming(x + r * Math.cos(t), y + r * Math.sin(t), sourceColour(),
                            logUniform(ARC_FLUX_MIN, ARC_FLUX_MAX) / companions, 0.15, 0.6));
                }
            }
            case DISK -> components.addAll(disk(x, y, logUniform(2e3, 4e4)));
            case STAR -> {
                components.add(star(x + rng.nextDouble(-1.5, 1.5), y + rng.nextDouble(-1.5, 1.5), logUniform(300, 1e5)));
                if (rng.nextDouble() < 0.3) {
                    double r = rng.nextDouble(3, 25);
                    double t = rng.nextDouble(0, 2 * Math.PI);
                    components.add(star(x + r * Math.cos(t), y + r * Math.sin(t), logUniform(100, 3e4)));
                }
            }
            case CROWDED_FIELD -> {
                int count = 3 + rng.nextInt(5);
                for (int i = 0; i < count; i++) {
                    double r = 0.4 * size * Math.sqrt(rng.nextDouble());
                    double t = rng.nextDouble(0, 2 * Math.PI);
                    double ox = centre + r * Math.cos(t);
                    double oy = centre + r * Math.sin(t);
                    switch (rng.nextInt(4)) {
                        case 0 -> components.add(elliptical(ox, oy, logUniform(1e3, 2e4)));
                        case 1 -> components.addAll(disk(ox, oy, logUniform(1e3, 1.5e4)));
                        case 2 -> components.add(star(ox, oy, logUniform(200, 2e4)));
                        default -> components.addAll(starForming(ox, oy, sourceColour(),
                                logUniform(ARC_FLUX_MIN, ARC_FLUX_MAX), 0.15, 0.6));
                    }
                }
            }
        }
        return new Scene(components);
    }

    /** Where the main object sits: within {@link #CENTRING} pixels of the centre, as the real candidates do. */
    private double[] primaryPosition() {
        double r = CENTRING * Math.sqrt(rng.nextDouble());
        double t = rng.nextDouble(0, 2 * Math.PI);
        return new double[] {centre + CENTRE_OFFSET_X + r * Math.cos(t), centre + CENTRE_OFFSET_Y + r * Math.sin(t)};
    }

    NonLensKind nonLensKind(Set<NonLensKind> kinds) {
        return NonLensKind.at(rng.nextDouble(), kinds);
    }

    /** Faint galaxies and stars over the whole canvas, cutout and margin alike. */
    private void field(List<Component> components) {
        double margin = 16;
        double side = size + 2 * margin;
        double area = side * side / 1e4;
        int galaxies = poisson(FIELD_GALAXIES * area);
        for (int i = 0; i < galaxies; i++) {
            double x = rng.nextDouble(-margin, size + margin);
            double y = rng.nextDouble(-margin, size + margin);
            // Mostly red: most faint field galaxies are at redshifts that move their light out of g.
            double u = rng.nextDouble();
            double g = 0.08 + 0.9 * u * u;
            double[] colour = {g, clamp(Math.sqrt(g) * rng.nextDouble(0.9, 1.1), 0.25, 1.1), 1};
            SersicProfile shape = new SersicProfile(x, y, logUniform(0.2, 0.9) / scale, rng.nextDouble(0.5, 2.5),
                    rng.nextDouble(0.3, 1), rng.nextDouble(0, Math.PI));
            components.add(new Component.Galaxy(shape, times(colour, logUniform(30, 3000))));
        }
        int stars = poisson(FIELD_STARS * area);
        for (int i = 0; i < stars; i++) {
            components.add(star(rng.nextDouble(-margin, size + margin), rng.nextDouble(-margin, size + margin),
                    logUniform(30, 5000)));
        }
    }

    /** With {@link #GROUP_CHANCE}, one to four fainter ellipticals of the same kind around the primary. */
    private void group(List<Component> components, double x, double y, double fluxI) {
        if (rng.nextDouble() >= GROUP_CHANCE) {
            return;
        }
        int members = 1 + rng.nextInt(4);
        for (int i = 0; i < members; i++) {
            double r = rng.nextDouble(12, 50);
            double t = rng.nextDouble(0, 2 * Math.PI);
            components.add(elliptical(x + r * Math.cos(t), y + r * Math.sin(t), fluxI * logUniform(0.05, 0.8)));
        }
    }

    private Component.Galaxy elliptical(double x, double y, double fluxI) {
        return new Component.Galaxy(ellipticalShape(x, y, fluxI), times(ellipticalColour(), fluxI));
    }

    /** Sérsic n 2.5–4.5, bigger when brighter (R_e about 1" at 10⁴ counts), axis ratio 0.55–1. */
    private SersicProfile ellipticalShape(double x, double y, double fluxI) {
        double re = clamp(1.0 * Math.pow(fluxI / 1e4, 0.4) * Math.exp(0.25 * rng.nextGaussian()), 0.6, 5.0);
        return new SersicProfile(x, y, re / scale, rng.nextDouble(2.5, 4.5), rng.nextDouble(0.55, 1),
                rng.nextDouble(0, Math.PI));
    }

    /**
     * Flux per band over the i flux for an early-type galaxy: g/i 0.045–0.12 and r/i 0.27–0.49 as its
     * redshift grows, the range (16–84%) measured within 3 px of the real lenses' centres.
     */
    private double[] ellipticalColour() {
        double t = rng.nextDouble();
        return new double[] {(0.12 - 0.075 * t) * Math.exp(0.15 * rng.nextGaussian()),
            (0.49 - 0.22 * t) * Math.exp(0.07 * rng.nextGaussian()), 1};
    }

    /** Flux per band over the g flux for a blue star-forming galaxy at z 1–2: g/i 0.6–1.3. */
    private double[] sourceColour() {
        double gi = rng.nextDouble(0.6, 1.3);
        double ri = Math.sqrt(gi) * rng.nextDouble(0.97, 1.03);
        return new double[] {1, ri / gi, 1 / gi};
    }

    /**
     * A star-forming galaxy: a Sérsic body (n 0.5–1.5) and up to three compact, bluer knots.
     *
     * @param colour flux per band over the g flux
     * @param fluxG  total g flux
     */
    private List<Component.Galaxy> starForming(double x, double y, double[] colour, double fluxG, double reMin,
                                               double reMax) {
        List<Component.Galaxy> parts = new ArrayList<>();
        double re = rng.nextDouble(reMin, reMax) / scale;
        int knots = rng.nextInt(4);
        double body = 1;
        for (int i = 0; i < knots; i++) {
            double share = rng.nextDouble(0.05, 0.15);
            body -= share;
            double r = re * rng.nextDouble(0, 1.5);
            double t = rng.nextDouble(0, 2 * Math.PI);
            SersicProfile knot = new SersicProfile(x + r * Math.cos(t), y + r * Math.sin(t),
                    rng.nextDouble(0.04, 0.1) / scale, 0.5, rng.nextDouble(0.6, 1), rng.nextDouble(0, Math.PI));
            double[] blue = {colour[0], colour[1] * 0.9, colour[2] * 0.8};
            parts.add(new Component.Galaxy(knot, times(blue, share * fluxG)));
        }
        SersicProfile shape = new SersicProfile(x, y, re, rng.nextDouble(0.5, 1.5), rng.nextDouble(0.35, 1),
                rng.nextDouble(0, Math.PI));
        parts.add(0, new Component.Galaxy(shape, times(colour, body * fluxG)));
        return parts;
    }

    /** An inclined exponential disk (R_e 1–3.5"), most with a red bulge, 60% with two or three spiral arms. */
    private List<Component.Galaxy> disk(double x, double y, double fluxI) {
        List<Component.Galaxy> parts = new ArrayList<>();
        double re = logUniform(1.0, 3.5) / scale;
        double q = Math.max(rng.nextDouble(0.15, 1), 0.12);
        double angle = rng.nextDouble(0, Math.PI);
        double bulgeShare = rng.nextDouble() < 0.8 ? rng.nextDouble(0.05, 0.5) : 0;
        SersicProfile exponential = new SersicProfile(x, y, re, 1, q, angle);
        SurfaceBrightness shape = exponential;
        if (rng.nextDouble() < 0.6) {
            shape = new SpiralDisk(exponential, rng.nextDouble() < 0.75 ? 2 : 3,
                    Math.toRadians(rng.nextDouble(12, 30)), rng.nextDouble(0.3, 0.8), rng.nextDouble(0, 2 * Math.PI));
        }
        double gi = rng.nextDouble(0.3, 0.7);
        double[] colour = {gi, Math.sqrt(gi) * rng.nextDouble(0.95, 1.05), 1};
        parts.add(new Component.Galaxy(shape, times(colour, (1 - bulgeShare) * fluxI)));
        if (bulgeShare > 0) {
            SersicProfile bulge = new SersicProfile(x, y, re * rng.nextDouble(0.12, 0.3), rng.nextDouble(2, 4),
                    rng.nextDouble(0.7, 1), angle);
            parts.add(new Component.Galaxy(bulge, times(ellipticalColour(), bulgeShare * fluxI)));
        }
        return parts;
    }

    /** A star with g/i 0.15–1.4 (late to early types). */
    private Component.Star star(double x, double y, double fluxI) {
        double gi = rng.nextDouble(0.15, 1.4);
        return new Component.Star(x, y, new double[] {gi * fluxI, Math.pow(gi, 0.55) * fluxI, fluxI});
    }

    private double logUniform(double min, double max) {
        return min * Math.exp(rng.nextDouble() * Math.log(max / min));
    }

    /** Knuth's method for the small means of a cutout, the normal limit for large fields. */
    private int poisson(double mean) {
        if (mean > 50) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.nextGaussian()));
        }
        double limit = Math.exp(-mean);
        double product = rng.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= rng.nextDouble();
            k++;
        }
        return k;
    }

    private static double[] times(double[] v, double factor) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * factor;
        }
        return out;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
