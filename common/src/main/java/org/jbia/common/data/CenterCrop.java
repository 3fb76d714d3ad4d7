package org.jbia.common.data;

import java.util.Locale;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.Problems;

/**
 * Centre crop to size×size. The window starts at {@code floor((H - size) / 2)} (likewise for W),
 * so it is centred exactly when H - size is even and half a pixel towards the top-left otherwise.
 * pyBIA's {@code crop_image} is off by one for even sizes (size 50 of 100 rows takes rows 26..75;
 * this takes 25..74) and pads a too-small image with NaN at the bottom and right only; here a crop
 * larger than the image is an error unless a {@link PadMode} is named, and then the padding is split
 * around the image the same way (the extra pixel, if any, at the top/left).
 */
public final class CenterCrop {
    private CenterCrop() {
    }

    /** How to fill a window that reaches past the image. */
    public enum PadMode {
        /** A constant value: NaN unless given (pyBIA's fill; normalisation turns it into min_pixel). */
        CONSTANT,
        /** The nearest edge pixel repeated. */
        NEAREST,
        /** Mirrored about the edge pixel, which is not repeated (NumPy's 'reflect': d c b | a b c d). */
        REFLECT;

        static String allowed() {
            return "constant, nearest or reflect";
        }

        /** Parses a user's name (case-insensitive), naming the allowed ones when it is wrong. */
        public static PadMode parse(String name) {
            for (PadMode mode : values()) {
                if (mode.name().equalsIgnoreCase(name)) {
                    return mode;
                }
            }
            throw new InvalidSpecException("crop", new Problems().add("pad_mode", name, "expected " + allowed())
                    .messages());
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Crops without padding: {@code size} must not exceed the height or width. */
    public static ImageStack crop(ImageStack stack, int size) {
        return crop(stack, size, null, Float.NaN);
    }

    /** Crops, padding with {@code mode} where the window is larger than the image (constant: NaN). */
    public static ImageStack crop(ImageStack stack, int size, PadMode mode) {
        return crop(stack, size, mode, Float.NaN);
    }

    /**
     * @param mode     null for no padding (a window larger than the image is then an error)
     * @param constant the fill value for {@link PadMode#CONSTANT}
     */
    public static ImageStack crop(ImageStack stack, int size, PadMode mode, float constant) {
        Problems p = new Problems();
        if (size < 1) {
            p.add("size", size, "it must be >= 1");
        } else if (mode == null && (size > stack.height() || size > stack.width())) {
            p.add("size", size, "the images are " + stack.height() + "x" + stack.width()
                    + "; a crop larger than the image needs a pad mode (" + PadMode.allowed() + ")");
        }
        p.throwIfAny("crop");
        if (size == stack.height() && size == stack.width()) {
            return stack;
        }
        int h = stack.height();
        int w = stack.width();
        int bands = stack.bands();
        int top = Math.floorDiv(h - size, 2);
        int left = Math.floorDiv(w - size, 2);
        int[] rows = sourceIndex(top, size, h, mode);
        int[] cols = sourceIndex(left, size, w, mode);
        float[] in = stack.pixels();
        float[] out = new float[stack.count() * size * size * bands];
        int o = 0;
        for (int n = 0; n < stack.count(); n++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean inside = rows[y] >= 0 && cols[x] >= 0;
                    int from = inside ? stack.index(n, rows[y], cols[x], 0) : -1;
                    for (int b = 0; b < bands; b++) {
                        out[o++] = inside ? in[from + b] : constant;
                    }
                }
            }
        }
        return new ImageStack(stack.count(), size, size, bands, out);
    }

    /** For each output row (or column), the source one; -1 where the constant fills. */
    private static int[] sourceIndex(int start, int size, int length, PadMode mode) {
        int[] index = new int[size];
        for (int i = 0; i < size; i++) {
            int s = start + i;
            if (s < 0 || s >= length) {
                s = switch (mode) {
                    case NEAREST -> Math.min(Math.max(s, 0), length - 1);
                    case REFLECT -> reflect(s, length);
                    default -> -1;
                };
            }
            index[i] = s;
        }
        return index;
    }

    /** Mirror about the edge pixels, repeating with period 2(length - 1) for windows much wider than the image. */
    private static int reflect(int s, int length) {
        if (length == 1) {
            return 0;
        }
        int period = 2 * (length - 1);
        int m = Math.floorMod(s, period);
        return m < length ? m : period - m;
    }
}
