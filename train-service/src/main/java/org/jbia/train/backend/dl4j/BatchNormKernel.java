package org.jbia.train.backend.dl4j;

import org.jbia.train.backend.dl4j.HostFloats.Images;
import org.jbia.train.backend.dl4j.HostFloats.Scratch;

/**
 * Batch normalisation over the channels of N×C×P float arrays (P = H·W, or 1 after a dense layer),
 * image by image: batch statistics, y = γ·(x − μ)/√(σ² + ε) + β, and the gradient through the batch
 * statistics, optionally with the ReLU that follows it fused in (its output and the masking of its
 * gradient in the same passes). One pass over the activations for the statistics, one for the output,
 * two back, where DL4J's layer with its oneDNN helper runs a dozen array operations and reorders.
 * <p>
 * Sums run in double over four independent accumulators (a single one is a chain of dependent additions,
 * three times slower); element-wise loops run in float, which the JIT vectorises.
 */
final class BatchNormKernel {

    private BatchNormKernel() {
    }

    /**
     * Per-channel batch mean and biased variance. Each image's plane of a channel is summed twice while
     * in cache (its mean, then squares about it), and the images are combined with Chan's formula,
     * M2 = Σ M2_i + P·Σ (μ_i − μ)², in image order: the same figures for any thread count.
     */
    static void statistics(Images x, int channels, int plane, double[] mean, double[] variance) {
        double[][] localMean = new double[x.count][channels];
        double[][] localM2 = new double[x.count][channels];
        Parallel.forEach(x.count, i -> {
            float[] in = Scratch.floats(0, x.size);
            x.read(i, in);
            for (int c = 0, off = 0; c < channels; c++, off += plane) {
                double m = sum(in, off, plane) / plane;
                float centre = (float) m;
                // squares about the float centre, less P·(μ_i − centre)², are the squares about μ_i
                double shift = m - centre;
                localMean[i][c] = m;
                localM2[i][c] = Math.max(squaresAbout(in, off, plane, centre) - plane * shift * shift, 0);
            }
        });
        double count = (double) x.count * plane;
        for (int c = 0; c < channels; c++) {
            double m = 0;
            for (int i = 0; i < x.count; i++) {
                m += localMean[i][c];
            }
            m /= x.count;
            double m2 = 0;
            for (int i = 0; i < x.count; i++) {
                double d = localMean[i][c] - m;
                m2 += localM2[i][c] + plane * d * d;
            }
            mean[c] = m;
            variance[c] = m2 / count;
        }
    }

    /** y = scale_c·x + shift_c, or max(0, scale_c·x + shift_c) with {@code relu}. */
    static void affine(Images x, Images y, int channels, int plane, float[] scale, float[] shift, boolean relu) {
        Parallel.forEach(x.count, i -> {
            float[] v = Scratch.floats(0, x.size);
            x.read(i, v);
            for (int c = 0, off = 0; c < channels; c++, off += plane) {
                float a = scale[c];
                float b = shift[c];
                if (relu) {
                    for (int p = off, end = off + plane; p < end; p++) {
                        v[p] = Math.max(a * v[p] + b, 0f);
                    }
                } else {
                    for (int p = off, end = off + plane; p < end; p++) {
                        v[p] = a * v[p] + b;
                    }
                }
            }
            y.write(i, v);
        });
    }

    /** 2^126: twice over, it takes the smallest positive float past 1. */
    private static final float HUGE = 0x1p126f;

    /**
     * Zeroes dy where the fused ReLU's output max(0, scale_c·x + shift_c) is 0: the same float
     * expression as {@link #affine}, so the same elements pass. The step y &gt; 0 is computed as
     * min(max(y·2^126·2^126, 0), 1), exactly 0 or 1, which the JIT vectorises; a branch on the sign,
     * taken half the time at random, cost twenty times as much.
     */
    private static void maskRelu(float[] x, float[] dy, int channels, int plane, float[] scale, float[] shift) {
        for (int c = 0, off = 0; c < channels; c++, off += plane) {
            float a = scale[c];
            float b = shift[c];
            for (int p = off, end = off + plane; p < end; p++) {
                dy[p] *= Math.min(Math.max((a * x[p] + b) * HUGE * HUGE, 0f), 1f);
            }
        }
    }

    /**
     * Gradient of training-mode batch normalisation: with x̂ = (x − μ)·r, r = 1/√(σ² + ε),
     * dβ = Σ dy, dγ = Σ dy·x̂ and dx = γ·r·(dy − dβ/M − x̂·dγ/M), M = N·P. With a fused ReLU
     * ({@code reluScale} and {@code reluShift}, the forward pass's {@link #affine} coefficients, not null),
     * dy is the gradient of the ReLU's output and is first zeroed where that output was 0.
     */
    static void backward(Images x, Images dy, Images dx, int channels, int plane, double[] mean, double[] invStd,
                         double[] gamma, double[] dGamma, double[] dBeta, float[] reluScale, float[] reluShift) {
        double count = (double) x.count * plane;
        double[][] sumDy = new double[x.count][channels];
        double[][] sumDyCentred = new double[x.count][channels];
        Parallel.forEach(x.count, i -> {
            float[] in = Scratch.floats(0, x.size);
            float[] g = Scratch.floats(1, x.size);
            x.read(i, in);
            dy.read(i, g);
            if (reluScale != null) {
                maskRelu(in, g, channels, plane, reluScale, reluShift);
            }
            for (int c = 0, off = 0; c < channels; c++, off += plane) {
                sumDy[i][c] = sum(g, off, plane);
                sumDyCentred[i][c] = dotAbout(g, in, off, plane, (float) mean[c]);
            }
        });
        for (int c = 0; c < channels; c++) {
            double a = 0;
            double b = 0;
            for (int i = 0; i < x.count; i++) {
                a += sumDy[i][c];
                b += sumDyCentred[i][c];
            }
            dBeta[c] = a;
            dGamma[c] = b * invStd[c];
        }
        Parallel.forEach(x.count, i -> {
            float[] in = Scratch.floats(0, x.size);
            float[] g = Scratch.floats(1, x.size);
            x.read(i, in);
            dy.read(i, g);
            if (reluScale != null) {
                maskRelu(in, g, channels, plane, reluScale, reluShift);
            }
            for (int c = 0, off = 0; c < channels; c++, off += plane) {
                // dx = k·dy + u·(x − μ) + w with k = γ·r, u = −k·r·dγ/M, w = −k·dβ/M
                double k = gamma[c] * invStd[c];
                float kf = (float) k;
                float u = (float) (-k * invStd[c] * dGamma[c] / count);
                float w = (float) (-k * dBeta[c] / count);
                float m = (float) mean[c];
                for (int p = off, end = off + plane; p < end; p++) {
                    in[p] = kf * g[p] + u * (in[p] - m) + w;
                }
            }
            dx.write(i, in);
        });
    }

    /** Σ v[from, from + n). */
    private static double sum(float[] v, int from, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int p = from;
        int end = from + n;
        for (; p + 3 < end; p += 4) {
            s0 += v[p];
            s1 += v[p + 1];
            s2 += v[p + 2];
            s3 += v[p + 3];
        }
        for (; p < end; p++) {
            s0 += v[p];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Σ (v − centre)² over [from, from + n). */
    private static double squaresAbout(float[] v, int from, int n, float centre) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int p = from;
        int end = from + n;
        for (; p + 3 < end; p += 4) {
            double d0 = v[p] - centre;
            double d1 = v[p + 1] - centre;
            double d2 = v[p + 2] - centre;
            double d3 = v[p + 3] - centre;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; p < end; p++) {
            double d = v[p] - centre;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Σ g·(x − centre) over [from, from + n). */
    private static double dotAbout(float[] g, float[] x, int from, int n, float centre) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int p = from;
        int end = from + n;
        for (; p + 3 < end; p += 4) {
            s0 += (double) g[p] * (x[p] - centre);
            s1 += (double) g[p + 1] * (x[p + 1] - centre);
            s2 += (double) g[p + 2] * (x[p + 2] - centre);
            s3 += (double) g[p + 3] * (x[p + 3] - centre);
        }
        for (; p < end; p++) {
            s0 += (double) g[p] * (x[p] - centre);
        }
        return (s0 + s1) + (s2 + s3);
    }
}
