package org.jbia.common.preview;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.Problems;

/**
 * A PNG grid of images of a class: pyBIA's {@code _plot_positive} / {@code _plot_negative} for many
 * images at once. One band is drawn in grey between robust limits (median - 3 MAD, median + 10 MAD,
 * MAD = median |x - median|, computed over all tiles shown so they share one scale; {@code vmin} and
 * {@code vmax} override them). With no band, the first three bands (g, r, i in the seed's data) make
 * a colour composite, i as red and g as blue, with an asinh stretch from each band's median (the sky)
 * to its median + 10 MAD, unless vmin / vmax are given (they then apply to all three bands). Tiles run row by row from image
 * {@code first}; NaN pixels are drawn magenta so they cannot pass for sky.
 */
public final class PreviewGrid {
    /** Softening of the asinh stretch: larger shows faint structure brighter. */
    private static final double ASINH_Q = 8;
    private static final int GAP = 2;
    private static final int BACKGROUND = 0x202020;
    private static final int NAN_COLOUR = 0xFF00FF;
    private static final long MAX_PIXELS = 64L << 20;

    /**
     * What to draw.
     *
     * @param first   index of the first image shown
     * @param count   images shown (fewer if the class ends first)
     * @param step    distance between the images shown: 1 shows neighbours; the augmented set's batch
     *                size + 1 shows one augmentation of each original, a different one each time
     * @param columns tiles per row; 0 picks a square-ish grid
     * @param band    band drawn in grey, or null for the three-band colour composite ('all' in pyBIA)
     * @param vmin    lower display limit, or null for median - 3 MAD
     * @param vmax    upper display limit, or null for median + 10 MAD
     * @param scale   screen pixels per image pixel
     */
    public record Options(int first, int count, int step, int columns, Integer band, Double vmin, Double vmax,
                          int scale) {
        /** The first 16 images, band 0, robust limits, doubled in size. */
        public static Options defaults() {
            return new Options(0, 16, 1, 0, 0, null, null, 2);
        }

        public Options withBand(Integer b) {
            return new Options(first, count, step, columns, b, vmin, vmax, scale);
        }

        public Options withLimits(Double min, Double max) {
            return new Options(first, count, step, columns, band, min, max, scale);
        }

        public Options withRange(int from, int n) {
            return new Options(from, n, step, columns, band, vmin, vmax, scale);
        }

        public Options withStep(int every) {
            return new Options(first, count, every, columns, band, vmin, vmax, scale);
        }

        public Options withLayout(int cols, int pixelScale) {
            return new Options(first, count, step, cols, band, vmin, vmax, pixelScale);
        }

        /** How many images the grid shows: {@code count}, or fewer where the class ends first. */
        int shown(int images) {
            return Math.min(count, (images - first + step - 1) / step);
        }
    }

    /** Display limits of one band. */
    public record Limits(double low, double high) {
    }

    private PreviewGrid() {
    }

    /** The grid as PNG bytes. */
    public static byte[] png(ImageStack images, Options options) {
        BufferedImage grid = render(images, options);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(grid, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the preview as PNG", e);
        }
        return out.toByteArray();
    }

    /** The grid as an RGB image. */
    public static BufferedImage render(ImageStack images, Options o) {
        problems(images, o).throwIfAny("preview");
        int shown = o.shown(images.count());
        int columns = o.columns() > 0 ? Math.min(o.columns(), shown) : (int) Math.ceil(Math.sqrt(shown));
        int rows = (shown + columns - 1) / columns;
        int tileW = images.width() * o.scale();
        int tileH = images.height() * o.scale();
        BufferedImage grid = new BufferedImage(columns * tileW + (columns + 1) * GAP, rows * tileH + (rows + 1) * GAP,
                BufferedImage.TYPE_INT_RGB);
        int[] canvas = new int[grid.getWidth() * grid.getHeight()];
        Arrays.fill(canvas, BACKGROUND);

        int[] bands = o.band() == null ? new int[] {2, 1, 0} : new int[] {o.band()};
        Limits[] limits = new Limits[bands.length];
        for (int i = 0; i < bands.length; i++) {
            float[] values = bandValues(images, o, shown, bands[i]);
            Limits robust = robustLimits(values);
            if (bands.length == 3) {
                // The composite starts at the sky level (the median) so the background is black.
                float[] sorted = finite(values);
                Arrays.sort(sorted);
                if (sorted.length > 0 && median(sorted) < robust.high()) {
                    robust = new Limits(median(sorted), robust.high());
                }
            }
            limits[i] = new Limits(o.vmin() != null ? o.vmin() : robust.low(), o.vmax() != null ? o.vmax() : robust.high());
        }
        for (int t = 0; t < shown; t++) {
            int left = GAP + (t % columns) * (tileW + GAP);
            int top = GAP + (t / columns) * (tileH + GAP);
            int n = o.first() + t * o.step();
            for (int y = 0; y < images.height(); y++) {
                for (int x = 0; x < images.width(); x++) {
                    int rgb = bands.length == 1 ? grey(images.get(n, y, x, bands[0]), limits[0])
                            : composite(images, n, y, x, bands, limits);
                    for (int dy = 0; dy < o.scale(); dy++) {
                        int row = (top + y * o.scale() + dy) * grid.getWidth() + left + x * o.scale();
                        Arrays.fill(canvas, row, row + o.scale(), rgb);
                    }
                }
            }
        }
        grid.setRGB(0, 0, grid.getWidth(), grid.getHeight(), canvas, 0, grid.getWidth());
        return grid;
    }

    /** Problems of the options for these images, each naming its field. */
    public static Problems problems(ImageStack images, Options o) {
        Problems p = new Problems();
        if (images.count() == 0) {
            p.addMessage("the class holds no images to preview");
            return p;
        }
        if (o.first() < 0 || o.first() >= images.count()) {
            p.add("first", o.first(), "the class holds " + images.count() + " images, so it must lie in [0, "
                    + (images.count() - 1) + "]");
        }
        if (o.count() < 1) {
            p.add("count", o.count(), "it must be >= 1");
        }
        if (o.step() < 1) {
            p.add("step", o.step(), "it must be >= 1 (1 = neighbouring images)");
        }
        if (o.columns() < 0) {
            p.add("columns", o.columns(), "it must be >= 0 (0 = automatic)");
        }
        if (o.band() == null && images.bands() < 3) {
            p.add("band", "all", "a colour composite needs 3 bands and the images have " + images.bands()
                    + "; give a band in [0, " + (images.bands() - 1) + "]");
        }
        if (o.band() != null && (o.band() < 0 || o.band() >= images.bands())) {
            p.add("band", o.band(), "the images have " + images.bands() + " bands, so it must lie in [0, "
                    + (images.bands() - 1) + "] (or be 'all' for a colour composite)");
        }
        if (o.vmin() != null && !Double.isFinite(o.vmin())) {
            p.add("vmin", o.vmin(), "it must be finite");
        }
        if (o.vmax() != null && !Double.isFinite(o.vmax())) {
            p.add("vmax", o.vmax(), "it must be finite");
        }
        if (o.vmin() != null && o.vmax() != null && !(o.vmin() < o.vmax())) {
            p.add("vmax", o.vmax(), "it must be > vmin = " + o.vmin());
        }
        if (o.scale() < 1 || o.scale() > 16) {
            p.add("scale", o.scale(), "it must lie in [1, 16]");
        } else if (p.isEmpty()) {
            long shown = o.shown(images.count());
            long pixels = shown * images.height() * images.width() * (long) o.scale() * o.scale();
            if (pixels > MAX_PIXELS) {
                p.add("count", o.count(), "the grid would have " + pixels + " pixels at scale " + o.scale()
                        + "; show fewer images or a smaller scale (at most " + MAX_PIXELS + " pixels)");
            }
        }
        return p;
    }

    /**
     * median - 3 MAD and median + 10 MAD of the finite values; if the MAD is 0 (flat images), the
     * minimum and maximum; if those agree too, a unit range around the value.
     */
    public static Limits robustLimits(float[] values) {
        float[] finite = finite(values);
        if (finite.length == 0) {
            return new Limits(0, 1);
        }
        Arrays.sort(finite);
        double median = median(finite);
        float[] deviations = new float[finite.length];
        for (int i = 0; i < finite.length; i++) {
            deviations[i] = (float) Math.abs(finite[i] - median);
        }
        Arrays.sort(deviations);
        double mad = median(deviations);
        if (mad > 0) {
            return new Limits(median - 3 * mad, median + 10 * mad);
        }
        double lo = finite[0];
        double hi = finite[finite.length - 1];
        return lo < hi ? new Limits(lo, hi) : new Limits(lo - 0.5, hi + 0.5);
    }

    private static int grey(float v, Limits l) {
        if (Float.isNaN(v)) {
            return NAN_COLOUR;
        }
        int g = level((v - l.low()) / (l.high() - l.low()));
        return g << 16 | g << 8 | g;
    }

    /**
     * Lupton-style asinh: each band scaled to its limits, then all three multiplied by
     * asinh(Q·I) / (asinh(Q)·I) of their mean I, which stretches faint light and keeps colours.
     */
    private static int composite(ImageStack images, int n, int y, int x, int[] bands, Limits[] limits) {
        double[] c = new double[3];
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            float v = images.get(n, y, x, bands[i]);
            if (Float.isNaN(v)) {
                return NAN_COLOUR;
            }
            c[i] = Math.max(0, (v - limits[i].low()) / (limits[i].high() - limits[i].low()));
            sum += c[i];
        }
        double intensity = sum / 3;
        double gain = intensity > 0 ? asinh(ASINH_Q * intensity) / (asinh(ASINH_Q) * intensity) : 0;
        double brightest = Math.max(c[0], Math.max(c[1], c[2])) * gain;
        // Saturated pixels are scaled down as a whole so they keep their hue instead of going white.
        double fit = brightest > 1 ? 1 / brightest : 1;
        return level(c[0] * gain * fit) << 16 | level(c[1] * gain * fit) << 8 | level(c[2] * gain * fit);
    }

    private static double asinh(double v) {
        return Math.log(v + Math.sqrt(v * v + 1));
    }

    private static int level(double fraction) {
        return (int) Math.round(255 * Math.min(1, Math.max(0, fraction)));
    }

    private static float[] bandValues(ImageStack images, Options o, int shown, int band) {
        int perImage = images.height() * images.width();
        float[] values = new float[shown * perImage];
        int k = 0;
        for (int t = 0; t < shown; t++) {
            int base = (o.first() + t * o.step()) * images.imageSize() + band;
            for (int p = 0; p < perImage; p++) {
                values[k++] = images.pixels()[base + p * images.bands()];
            }
        }
        return values;
    }

    private static float[] finite(float[] values) {
        float[] out = new float[values.length];
        int k = 0;
        for (float v : values) {
            if (Float.isFinite(v)) {
                out[k++] = v;
            }
        }
        return Arrays.copyOf(out, k);
    }

    private static double median(float[] sorted) {
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : ((double) sorted[m - 1] + sorted[m]) / 2;
    }
}
