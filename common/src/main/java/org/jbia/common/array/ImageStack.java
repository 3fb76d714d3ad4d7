package org.jbia.common.array;

import java.util.Arrays;

/**
 * A stack of multi-band images, float32, laid out N×H×W×C (channels last), as everywhere outside
 * a training backend. The pixel array is owned by the stack: callers that keep a reference must not
 * write to it after handing it over.
 */
public record ImageStack(int count, int height, int width, int bands, float[] pixels) {

    public ImageStack {
        if (count < 0 || height < 1 || width < 1 || bands < 1) {
            throw new IllegalArgumentException("image stack shape (" + count + ", " + height + ", " + width + ", "
                    + bands + ") is not valid: count must be >= 0 and height, width, bands >= 1");
        }
        long expected = (long) count * height * width * bands;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("image stack of shape (" + count + ", " + height + ", " + width + ", "
                    + bands + ") needs " + expected + " pixels, got " + pixels.length);
        }
    }

    public static ImageStack zeros(int count, int height, int width, int bands) {
        return new ImageStack(count, height, width, bands, new float[Math.multiplyExact(Math.multiplyExact(count, height), Math.multiplyExact(width, bands))]);
    }

    /** Pixels in one image: H×W×C. */
    public int imageSize() {
        return height * width * bands;
    }

    /** Offset of pixel (n, y, x, band) in {@link #pixels()}. */
    public int index(int n, int y, int x, int band) {
        return ((n * height + y) * width + x) * bands + band;
    }

    public float get(int n, int y, int x, int band) {
        return pixels[index(n, y, x, band)];
    }

    public int[] shape() {
        return new int[] {count, height, width, bands};
    }

    /** A copy of image {@code n} as a stack of one. */
    public ImageStack image(int n) {
        return slice(n, n + 1);
    }

    /** A copy of images [from, to). */
    public ImageStack slice(int from, int to) {
        if (from < 0 || to > count || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of a stack of " + count);
        }
        int size = imageSize();
        return new ImageStack(to - from, height, width, bands, Arrays.copyOfRange(pixels, from * size, to * size));
    }

    /** The images of {@code this} followed by those of {@code other}; shapes must agree. */
    public ImageStack concat(ImageStack other) {
        if (other.height != height || other.width != width || other.bands != bands) {
            throw new IllegalArgumentException("cannot concatenate images of " + height + "x" + width + "x" + bands
                    + " with images of " + other.height + "x" + other.width + "x" + other.bands);
        }
        float[] joined = Arrays.copyOf(pixels, pixels.length + other.pixels.length);
        System.arraycopy(other.pixels, 0, joined, pixels.length, other.pixels.length);
        return new ImageStack(count + other.count, height, width, bands, joined);
    }

    public String shapeText() {
        return "(" + count + ", " + height + ", " + width + ", " + bands + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageStack s && s.count == count && s.height == height && s.width == width
                && s.bands == bands && Arrays.equals(s.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape()) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "ImageStack" + shapeText();
    }
}
