package org.jbia.cli.simulate;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Observes a {@link Scene}: draws its light on a canvas padded by the PSF's reach (so that light from
 * just outside the cutout spills in), ray-traces lensed galaxies through the lens equation, convolves
 * each band with its PSF, crops, and adds sky and Poisson noise. The sky level itself is subtracted,
 * as in survey cutouts, up to a small residual that real sky subtraction leaves too.
 */
final class Renderer {
    /** Sub-pixels per side for the ray-traced lensed light: arcs are thin, magnification varies fast. */
    static final int LENSED_SUBSAMPLING = 4;
    /** Sub-pixels per side within 1.5 pixels of a profile's centre, where a de Vaucouleurs cusp lives. */
    private static final int CORE_SUBSAMPLING = 6;
    private static final double CORE_RADIUS = 1.5;
    /** Sub-pixels per side within a profile's {@link SurfaceBrightness#fineRadius()}. */
    private static final int FINE_SUBSAMPLING = 2;
    /**
     * Light below this per pixel is not drawn: a hundredth of the quietest sky noise, so what is left
     * out cannot be seen, while bright ellipticals' halos still cover the cutout.
     */
    static final double FLOOR = 0.003;

    private Renderer() {
    }

    /** The cutout, H×W×3 interleaved, with noise drawn from {@code noise}. */
    static float[] observe(Scene scene, ObservingConditions conditions, int size, SplittableRandom noise) {
        double[][] bands = blurred(scene, conditions, size);
        float[] out = new float[size * size * 3];
        for (int b = 0; b < 3; b++) {
            double sky2 = conditions.skySigma()[b] * conditions.skySigma()[b];
            double gain = conditions.gain()[b];
            double residual = conditions.residualSky()[b];
            double[] plane = bands[b];
            for (int i = 0; i < plane.length; i++) {
                double v = plane[i];
                // Gaussian limit of Poisson noise: the sky alone is >= 300 electrons per pixel, where it is exact to < 1%.
                double sigma = Math.sqrt(sky2 + Math.max(v, 0) / gain);
                out[i * 3 + b] = (float) (v + residual + sigma * noise.nextGaussian());
            }
        }
        return out;
    }

    /** The noiseless cutout per band (g, r, i), each size×size, after the PSF. */
    static double[][] blurred(Scene scene, ObservingConditions conditions, int size) {
        int pad = conditions.padding();
        int canvas = size + 2 * pad;
        double[][] planes = paint(scene, canvas, pad);
        double[][] out = new double[3][];
        for (int b = 0; b < 3; b++) {
            out[b] = conditions.psf()[b].convolve(planes[b], canvas, pad, size);
        }
        return out;
    }

    /** Light per pixel before the PSF on a canvas of side {@code canvas} whose image origin is at (pad, pad). */
    static double[][] paint(Scene scene, int canvas, int pad) {
        double[][] planes = new double[3][canvas * canvas];
        for (Component c : scene.components()) {
            if (c instanceof Component.Galaxy g) {
                paintProfile(planes, canvas, pad, g.shape(), g.flux());
            } else if (c instanceof Component.Star s) {
                paintPoint(planes, canvas, pad, s.x(), s.y(), s.flux());
            } else if (c instanceof Component.LensedGalaxy l) {
                trace(l, canvas, pad, LENSED_SUBSAMPLING, FLOOR, planes);
            }
        }
        return planes;
    }

    private static void paintProfile(double[][] planes, int canvas, int pad, SurfaceBrightness shape, double[] flux) {
        double cx = shape.x() + pad;
        double cy = shape.y() + pad;
        double extent = shape.extent(Math.max(flux[0], Math.max(flux[1], flux[2])), FLOOR);
        double fine = shape.fineRadius();
        int x0 = Math.max(0, (int) Math.floor(cx - extent));
        int x1 = Math.min(canvas - 1, (int) Math.ceil(cx + extent));
        int y0 = Math.max(0, (int) Math.floor(cy - extent));
        int y1 = Math.min(canvas - 1, (int) Math.ceil(cy + extent));
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double d = Math.sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
                if (d > extent) {
                    continue;
                }
                int s = d < CORE_RADIUS ? CORE_SUBSAMPLING : d < fine ? FINE_SUBSAMPLING : 1;
                double sum = 0;
                for (int j = 0; j < s; j++) {
                    double py = y - pad + (j + 0.5) / s - 0.5;
                    for (int i = 0; i < s; i++) {
                        sum += shape.density(x - pad + (i + 0.5) / s - 0.5, py);
                    }
                }
                double v = sum / (s * s);
                int k = y * canvas + x;
                for (int b = 0; b < 3; b++) {
                    planes[b][k] += v * flux[b];
                }
            }
        }
    }

    /** Spreads a point bilinearly over the four nearest pixels; the PSF then gives it its shape. */
    private static void paintPoint(double[][] planes, int canvas, int pad, double x, double y, double[] flux) {
        double cx = x + pad;
        double cy = y + pad;
        int ix = (int) Math.floor(cx);
        int iy = (int) Math.floor(cy);
        double fx = cx - ix;
        double fy = cy - iy;
        for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
                int px = ix + dx;
                int py = iy + dy;
                if (px < 0 || py < 0 || px >= canvas || py >= canvas) {
                    continue;
                }
                double w = (dx == 0 ? 1 - fx : fx) * (dy == 0 ? 1 - fy : fy);
                for (int b = 0; b < 3; b++) {
                    planes[b][py * canvas + px] += w * flux[b];
                }
            }
        }
    }

    /**
     * Ray-traces a lensed galaxy: every sub-pixel θ of the region that can hold its images is mapped
     * to the source plane by the lens equation β = θ − α(θ), where the source's light is read.
     * Surface brightness is conserved, so magnification needs no explicit term.
     *
     * @param floor  surface brightness below which a source part is not read (see {@link #FLOOR})
     * @param planes where to add the light, or null to only measure it
     * @return the lensed flux per band: over the unlensed flux, the magnification
     */
    static double[] trace(Component.LensedGalaxy lensed, int canvas, int pad, int sub, double floor,
                          double[][] planes) {
        SieLens lens = lensed.lens();
        List<Component.Galaxy> parts = lensed.parts();
        double reach = 0;
        double[] extents = new double[parts.size()];
        for (int p = 0; p < extents.length; p++) {
            Component.Galaxy part = parts.get(p);
            SurfaceBrightness s = part.shape();
            // Magnification brightens nothing (surface brightness is conserved), so the floor holds as it is.
            extents[p] = s.extent(Math.max(part.flux()[0], Math.max(part.flux()[1], part.flux()[2])), floor);
            reach = Math.max(reach, Math.hypot(s.x() - lens.x(), s.y() - lens.y()) + extents[p]);
        }
        // Images of a source within the caustics lie near the Einstein ring; shear stretches it.
        double radius = lens.einsteinRadius() * (1.3 + 2 * lens.shear()) + reach + 3;
        double cx = lens.x() + pad;
        double cy = lens.y() + pad;
        int x0 = Math.max(0, (int) Math.floor(cx - radius));
        int x1 = Math.min(canvas - 1, (int) Math.ceil(cx + radius));
        int y0 = Math.max(0, (int) Math.floor(cy - radius));
        int y1 = Math.min(canvas - 1, (int) Math.ceil(cy + radius));
        double[] total = new double[3];
        double[] alpha = new double[2];
        double[] partSum = new double[parts.size()];
        double area = 1.0 / (sub * sub);
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) > radius * radius) {
                    continue;
                }
                Arrays.fill(partSum, 0);
                for (int j = 0; j < sub; j++) {
                    double py = y - pad + (j + 0.5) / sub - 0.5;
                    for (int i = 0; i < sub; i++) {
                        double px = x - pad + (i + 0.5) / sub - 0.5;
                        lens.deflect(px, py, alpha);
                        double bx = px - alpha[0];
                        double by = py - alpha[1];
                        for (int p = 0; p < partSum.length; p++) {
                            SurfaceBrightness s = parts.get(p).shape();
                            double ex = bx - s.x();
                            double ey = by - s.y();
                            double extent = extents[p];
                            if (ex * ex + ey * ey < extent * extent) {
                                partSum[p] += s.density(bx, by);
                            }
                        }
                    }
                }
                int k = y * canvas + x;
                for (int p = 0; p < partSum.length; p++) {
                    if (partSum[p] == 0) {
                        continue;
                    }
                    double[] flux = parts.get(p).flux();
                    for (int b = 0; b < 3; b++) {
                        double v = partSum[p] * area * flux[b];
                        total[b] += v;
                        if (planes != null) {
                            planes[b][k] += v;
                        }
                    }
                }
            }
        }
        return total;
    }
}
