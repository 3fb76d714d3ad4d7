package org.jbia.augment.engine;

import java.util.SplittableRandom;
import org.jbia.common.schema.AugmentSpec;

/**
 * The geometric draws of one augmented image, in pyBIA's order: shift, flip, rotation, zoom, centre
 * crop, shear. All are made about the crop centre so that one inverse warp reproduces the chain.
 *
 * @param shiftX      horizontal shift in pixels, integer as in pyBIA (uniform in [-width_shift, width_shift])
 * @param shiftY      vertical shift in pixels
 * @param flipX       mirror left-right
 * @param flipY       mirror top-bottom
 * @param angleDeg    rotation in degrees
 * @param zoom        magnification (> 1 enlarges the content, as pyBIA's zoom followed by its crop)
 * @param shear       tangent of the shear angle
 * @param shearAlongX true: x' = x + shear·y; false: y' = y + shear·x
 */
record Geometry(int shiftX, int shiftY, boolean flipX, boolean flipY, double angleDeg, double zoom,
                       double shear, boolean shearAlongX) {

    /**
     * Draws one image's geometry. Every draw is made whether or not its step is enabled, so turning
     * one step on leaves the draws of the others unchanged for the same seed.
     */
    static Geometry draw(SplittableRandom rng, AugmentSpec spec) {
        int sx = rng.nextInt(-spec.widthShift(), spec.widthShift() + 1);
        int sy = rng.nextInt(-spec.heightShift(), spec.heightShift() + 1);
        boolean fx = rng.nextBoolean() && spec.horizontal();
        boolean fy = rng.nextBoolean() && spec.vertical();
        double angle = rng.nextDouble() * 360.0;
        double u = rng.nextDouble();
        double shearDeg = (2 * rng.nextDouble() - 1) * spec.skewAngle();
        boolean alongX = rng.nextBoolean();
        double[] zr = spec.zoomRange();
        double zoom = zr == null ? 1.0 : zr[0] + (zr[1] - zr[0]) * u;
        return new Geometry(sx, sy, fx, fy, spec.rotation() ? angle : 0.0, zoom,
                Math.tan(Math.toRadians(shearDeg)), alongX);
    }

    /**
     * The map from output pixel (ux, uy) of an {@code outH}×{@code outW} crop to the input position it
     * samples in an {@code inH}×{@code inW} image.
     */
    InverseAffine inverse(int inH, int inW, int outH, int outW) {
        double a = Math.toRadians(angleDeg);
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        // Forward: q = Sh · zoom · Rot · F · (p + s). Inverse: p = F · Rot(-a) · Sh^-1 · q / zoom - s.
        double r00 = cos / zoom;
        double r01 = sin / zoom;
        double r10 = -sin / zoom;
        double r11 = cos / zoom;
        double h00 = 1;
        double h01 = 0;
        double h10 = 0;
        double h11 = 1;
        if (shearAlongX) {
            h01 = -shear;
        } else {
            h10 = -shear;
        }
        double m00 = r00 * h00 + r01 * h10;
        double m01 = r00 * h01 + r01 * h11;
        double m10 = r10 * h00 + r11 * h10;
        double m11 = r10 * h01 + r11 * h11;
        if (flipX) {
            m00 = -m00;
            m01 = -m01;
        }
        if (flipY) {
            m10 = -m10;
            m11 = -m11;
        }
        m00 = snap(m00);
        m01 = snap(m01);
        m10 = snap(m10);
        m11 = snap(m11);
        // Crop window starts at floor((in - out) / 2); its centre is the centre of every step.
        double cInX = (inW - outW) / 2 + (outW - 1) / 2.0;
        double cInY = (inH - outH) / 2 + (outH - 1) / 2.0;
        double cOutX = (outW - 1) / 2.0;
        double cOutY = (outH - 1) / 2.0;
        double tx = cInX - shiftX - (m00 * cOutX + m01 * cOutY);
        double ty = cInY - shiftY - (m10 * cOutX + m11 * cOutY);
        return new InverseAffine(m00, m01, tx, m10, m11, ty);
    }

    /** cos(90°) is 6e-17 in floating point; snapping keeps right-angle rotations exact pixel moves. */
    private static double snap(double v) {
        double r = Math.rint(v);
        return Math.abs(v - r) < 1e-12 ? r : v;
    }
}
