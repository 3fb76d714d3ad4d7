package org.jbia.augment.engine;

/**
 * Resamples one multi-band image through an inverse affine map, computing only the output window.
 * The hot loop: coordinates advance by a constant per column, bands are innermost so one set of
 * weights serves every band, and nothing is allocated per pixel.
 */
final class Warp {
    private Warp() {
    }

    /**
     * Writes the {@code outH}×{@code outW}×{@code bands} image at {@code dst[dstBase]} by sampling the
     * {@code h}×{@code w}×{@code bands} image at {@code src[srcBase]} through {@code map}.
     */
    static void apply(float[] src, int srcBase, int h, int w, int bands, float[] dst, int dstBase, int outH,
                      int outW, InverseAffine map, Fill fill, boolean nearest) {
        if (nearest || map.isPixelAligned()) {
            nearest(src, srcBase, h, w, bands, dst, dstBase, outH, outW, map, fill);
        } else if (bands == 3) {
            bilinear3(src, srcBase, h, w, dst, dstBase, outH, outW, map, fill);
        } else {
            bilinear(src, srcBase, h, w, bands, dst, dstBase, outH, outW, map, fill);
        }
    }

    /** The three-band case spelled out: twice as fast as the band loop, and it is the common one. */
    private static void bilinear3(float[] src, int srcBase, int h, int w, float[] dst, int dstBase, int outH,
                                  int outW, InverseAffine m, Fill fill) {
        final int stride = w * 3;
        final double lastX = w - 1;
        final double lastY = h - 1;
        final double m00 = m.m00();
        final double m10 = m.m10();
        int o = dstBase;
        for (int uy = 0; uy < outH; uy++) {
            double x = m.m01() * uy + m.m02();
            double y = m.m11() * uy + m.m12();
            for (int ux = 0; ux < outW; ux++, x += m00, y += m10, o += 3) {
                if (x >= 0 && y >= 0 && x < lastX && y < lastY) {
                    int x0 = (int) x;
                    int y0 = (int) y;
                    float fx = (float) (x - x0);
                    float fy = (float) (y - y0);
                    int i = srcBase + y0 * stride + x0 * 3;
                    int j = i + stride;
                    float a0 = src[i];
                    float a1 = src[i + 1];
                    float a2 = src[i + 2];
                    float b0 = src[i + 3];
                    float b1 = src[i + 4];
                    float b2 = src[i + 5];
                    float d0 = src[j];
                    float d1 = src[j + 1];
                    float d2 = src[j + 2];
                    float e0 = src[j + 3];
                    float e1 = src[j + 4];
                    float e2 = src[j + 5];
                    float t0 = a0 + fx * (b0 - a0);
                    float t1 = a1 + fx * (b1 - a1);
                    float t2 = a2 + fx * (b2 - a2);
                    float u0 = d0 + fx * (e0 - d0);
                    float u1 = d1 + fx * (e1 - d1);
                    float u2 = d2 + fx * (e2 - d2);
                    dst[o] = t0 + fy * (u0 - t0);
                    dst[o + 1] = t1 + fy * (u1 - t1);
                    dst[o + 2] = t2 + fy * (u2 - t2);
                } else {
                    bilinearEdge(src, srcBase, h, w, 3, dst, o, x, y, fill);
                }
            }
        }
    }

    private static void bilinear(float[] src, int srcBase, int h, int w, int bands, float[] dst, int dstBase,
                                 int outH, int outW, InverseAffine m, Fill fill) {
        final int stride = w * bands;
        final double lastX = w - 1;
        final double lastY = h - 1;
        final double m00 = m.m00();
        final double m10 = m.m10();
        int o = dstBase;
        for (int uy = 0; uy < outH; uy++) {
            double x = m.m01() * uy + m.m02();
            double y = m.m11() * uy + m.m12();
            for (int ux = 0; ux < outW; ux++, x += m00, y += m10, o += bands) {
                // The negated form also sends NaN coordinates down the careful path.
                if (x >= 0 && y >= 0 && x < lastX && y < lastY) {
                    int x0 = (int) x;
                    int y0 = (int) y;
                    float fx = (float) (x - x0);
                    float fy = (float) (y - y0);
                    int i00 = srcBase + y0 * stride + x0 * bands;
                    int i10 = i00 + stride;
                    for (int c = 0; c < bands; c++) {
                        float a = src[i00 + c];
                        float b = src[i00 + bands + c];
                        float d = src[i10 + c];
                        float e = src[i10 + bands + c];
                        float top = a + fx * (b - a);
                        float bottom = d + fx * (e - d);
                        dst[o + c] = top + fy * (bottom - top);
                    }
                } else {
                    bilinearEdge(src, srcBase, h, w, bands, dst, o, x, y, fill);
                }
            }
        }
    }

    /** A sample whose 2×2 neighbourhood leaves the image: each neighbour goes through the fill rule. */
    private static void bilinearEdge(float[] src, int srcBase, int h, int w, int bands, float[] dst, int o,
                                     double x, double y, Fill fill) {
        double xf = Math.floor(x);
        double yf = Math.floor(y);
        int x0 = (int) xf;
        int y0 = (int) yf;
        float fx = (float) (x - xf);
        float fy = (float) (y - yf);
        int ix0 = fill.index(x0, w);
        int ix1 = fill.index(x0 + 1, w);
        int iy0 = fill.index(y0, h);
        int iy1 = fill.index(y0 + 1, h);
        int stride = w * bands;
        for (int c = 0; c < bands; c++) {
            float a = pixel(src, srcBase, stride, bands, iy0, ix0, c);
            float b = pixel(src, srcBase, stride, bands, iy0, ix1, c);
            float d = pixel(src, srcBase, stride, bands, iy1, ix0, c);
            float e = pixel(src, srcBase, stride, bands, iy1, ix1, c);
            float top = a + fx * (b - a);
            float bottom = d + fx * (e - d);
            dst[o + c] = top + fy * (bottom - top);
        }
    }

    private static float pixel(float[] src, int base, int stride, int bands, int iy, int ix, int c) {
        return iy < 0 || ix < 0 ? 0f : src[base + iy * stride + ix * bands + c];
    }

    private static void nearest(float[] src, int srcBase, int h, int w, int bands, float[] dst, int dstBase,
                                int outH, int outW, InverseAffine m, Fill fill) {
        final int stride = w * bands;
        int o = dstBase;
        for (int uy = 0; uy < outH; uy++) {
            // Shifted by one half so that truncation rounds to the nearest pixel.
            double x = m.m01() * uy + m.m02() + 0.5;
            double y = m.m11() * uy + m.m12() + 0.5;
            for (int ux = 0; ux < outW; ux++, x += m.m00(), y += m.m10(), o += bands) {
                int ix;
                int iy;
                if (x >= 0 && y >= 0 && x < w && y < h) {
                    ix = (int) x;
                    iy = (int) y;
                } else {
                    ix = fill.index((int) Math.floor(x), w);
                    iy = fill.index((int) Math.floor(y), h);
                    if (ix < 0 || iy < 0) {
                        for (int c = 0; c < bands; c++) {
                            dst[o + c] = 0f;
                        }
                        continue;
                    }
                }
                int i = srcBase + iy * stride + ix * bands;
                for (int c = 0; c < bands; c++) {
                    dst[o + c] = src[i + c];
                }
            }
        }
    }
}
