package org.jbia.augment.engine;

/**
 * Input position sampled by output pixel (ux, uy): x = m00·ux + m01·uy + m02, y = m10·ux + m11·uy + m12.
 */
record InverseAffine(double m00, double m01, double m02, double m10, double m11, double m12) {

    /**
     * True when every output pixel lands exactly on an input pixel (flips, right-angle rotations,
     * integer shifts, no zoom or shear): then the warp is a pure pixel copy, exact even for NaN inputs.
     */
    boolean isPixelAligned() {
        return unitOrZero(m00) && unitOrZero(m01) && unitOrZero(m10) && unitOrZero(m11)
                && (m00 == 0) != (m01 == 0) && (m10 == 0) != (m11 == 0) && (m00 == 0) != (m10 == 0)
                && m02 == Math.rint(m02) && m12 == Math.rint(m12);
    }

    private static boolean unitOrZero(double v) {
        return v == 0 || v == 1 || v == -1;
    }
}
