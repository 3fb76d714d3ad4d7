package org.jbia.common.data;

import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.Problems;

/**
 * pyBIA's min-max normalisation ({@code normalize_pixels}), with its bugs fixed: non-finite pixels
 * become {@code min_pixel}, each band is clipped to [min_pixel, max_pixel[band]], then scaled by
 * (x - min) / (max - min) into [0, 1]. The channel axis is always kept (pyBIA drops it for one band),
 * a float ceiling is accepted for one band (pyBIA raises), and a ceiling list whose length is not the
 * band count is an error rather than silently indexed.
 *
 * <p>Arithmetic is float32, as NumPy does on pyBIA's float32 arrays: the clipped value minus
 * {@code (float) min}, divided by {@code (float) (max - min)}.
 */
public final class Normalization {
    private Normalization() {
    }

    /**
     * @param maxPixel one ceiling per band; a single value only for one-band images
     * @throws InvalidSpecException naming max_pixel/min_pixel, the value and the band count
     */
    public static ImageStack normalize(ImageStack stack, double minPixel, double[] maxPixel) {
        check(stack.bands(), minPixel, maxPixel).throwIfAny("normalisation");
        int bands = stack.bands();
        float min = (float) minPixel;
        float[] max = new float[bands];
        float[] range = new float[bands];
        for (int b = 0; b < bands; b++) {
            max[b] = (float) maxPixel[b];
            range[b] = (float) (maxPixel[b] - minPixel);
        }
        float[] in = stack.pixels();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            int b = i % bands;
            float x = in[i];
            if (!Float.isFinite(x) || x < min) {
                x = min;
            } else if (x > max[b]) {
                x = max[b];
            }
            out[i] = (x - min) / range[b];
        }
        return new ImageStack(stack.count(), stack.height(), stack.width(), bands, out);
    }

    /** The problems of a normalisation setting for images of {@code bands} bands, empty when it is usable. */
    public static Problems check(int bands, double minPixel, double[] maxPixel) {
        Problems p = new Problems();
        if (!Double.isFinite(minPixel)) {
            p.add("min_pixel", minPixel, "it must be a finite number");
        }
        if (maxPixel == null || maxPixel.length != bands) {
            p.add("max_pixel", maxPixel, "give one value per band: the images have " + bands + " band"
                    + (bands == 1 ? "" : "s") + (maxPixel == null ? "" : ", the list has " + maxPixel.length));
            return p;
        }
        for (int b = 0; b < bands; b++) {
            if (!Double.isFinite(maxPixel[b]) || !(maxPixel[b] > minPixel)) {
                p.add("max_pixel", maxPixel, "band " + b + "'s value " + maxPixel[b]
                        + " must be finite and greater than min_pixel = " + minPixel);
            }
        }
        return p;
    }

    /** Pixels that are NaN or infinite. */
    public static long countNonFinite(ImageStack stack) {
        long count = 0;
        for (float v : stack.pixels()) {
            if (!Float.isFinite(v)) {
                count++;
            }
        }
        return count;
    }

    /**
     * Refuses a set with NaN or infinite pixels, for when normalisation is off: nothing would replace
     * them, and training would see them (and turn every loss into NaN).
     *
     * @param setName the set's name in the job (positive, val_negative, ...)
     */
    public static void requireFinite(ImageStack stack, String setName) {
        Problems p = finiteProblems(stack, setName);
        p.throwIfAny("dataset");
    }

    static Problems finiteProblems(ImageStack stack, String setName) {
        Problems p = new Problems();
        long nonFinite = 0;
        int images = 0;
        int size = stack.imageSize();
        float[] px = stack.pixels();
        for (int n = 0; n < stack.count(); n++) {
            long inImage = 0;
            for (int i = n * size, end = i + size; i < end; i++) {
                if (!Float.isFinite(px[i])) {
                    inImage++;
                }
            }
            if (inImage > 0) {
                images++;
                nonFinite += inImage;
            }
        }
        if (nonFinite > 0) {
            p.addMessage(setName + " has " + nonFinite + " non-finite pixels (NaN or infinite) in " + images + " of "
                    + stack.count() + " images; with normalize off nothing replaces them: turn normalize on "
                    + "(they become min_pixel) or clean the data");
        }
        return p;
    }
}
