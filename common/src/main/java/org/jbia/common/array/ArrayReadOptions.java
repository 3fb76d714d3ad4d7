package org.jbia.common.array;

/**
 * How array files are read into an {@link ImageStack}.
 *
 * @param maxElements the most elements a file may declare; a header claiming more is refused before
 *                    anything is allocated (the default is the largest Java array, since an
 *                    {@link ImageStack} holds its pixels in one {@code float[]})
 * @param rank3       how a rank-3 array is laid out; see {@link Rank3Layout}
 */
public record ArrayReadOptions(long maxElements, Rank3Layout rank3) {
    /** The largest {@code float[]} a JVM allocates. */
    public static final long DEFAULT_MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    public ArrayReadOptions {
        if (maxElements < 1 || maxElements > DEFAULT_MAX_ELEMENTS) {
            throw new IllegalArgumentException("maxElements = " + maxElements + " is not allowed: it must lie in [1, "
                    + DEFAULT_MAX_ELEMENTS + "]");
        }
        if (rank3 == null) {
            throw new IllegalArgumentException("rank3 must be given: one of DEFAULT, STACK, IMAGE");
        }
    }

    public static ArrayReadOptions defaults() {
        return new ArrayReadOptions(DEFAULT_MAX_ELEMENTS, Rank3Layout.DEFAULT);
    }

    public ArrayReadOptions withMaxElements(long limit) {
        return new ArrayReadOptions(limit, rank3);
    }

    public ArrayReadOptions withRank3(Rank3Layout layout) {
        return new ArrayReadOptions(maxElements, layout);
    }

    /**
     * The meaning of a rank-3 array, which the shape alone cannot settle: (100, 100, 3) is as
     * plausibly one three-band image as 100 one-band images of 100×3. pyBIA decides by its
     * {@code img_num_channels} argument; jBIA makes the caller say it, with a fixed default per format.
     */
    public enum Rank3Layout {
        /** The format's convention: {@link #STACK} for {@code .npy}/{@code .npz}, {@link #IMAGE} for FITS cubes. */
        DEFAULT,
        /** (N, H, W): N one-band images; a FITS cube's planes become N one-band images. */
        STACK,
        /** (H, W, C): one image of C bands; a FITS cube (NAXIS3 = C) becomes one image of C bands. */
        IMAGE
    }
}
