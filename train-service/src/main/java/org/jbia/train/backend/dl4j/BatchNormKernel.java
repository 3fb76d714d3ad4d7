package org.jbia.train.backend.dl4j;

import org.jbia.train.backend.dl4j.HostFloats.Images;

/**
 * Batch normalisation over the channels of N×C×P float arrays (P = H·W, or 1 after a dense layer),
 * image by image: batch statistics, y = γ·(x − μ)/√(σ² + ε) + β, and the gradient through the batch
 * statistics. Three passes forward and two back, where DL4J's layer with its oneDNN helper runs a dozen
 * array operations and reorders.
 */
final class BatchNormKernel {

    private BatchNormKernel() {
    }

    /** Per-channel batch mean and biased variance (two passes, in double). */
    static void statistics(Images x, int channels, int plane, double[] mean, double[] variance) {
        double count = (double) x.count * plane;
        double[][] sums = new double[x.count][channels];
        Parallel.forEach(x.count, i -> {
            float[] in = new float[x.size];
            x.read(i, in);
            for (int c = 0; c < channels; c++) {
                double s = 0;
                for (int p = c * plane, end = p + plane; p < end; p++) {
                    s += in[p];
                }
                sums[i][c] = s;
            }
        });
        total(sums, mean, count);
        Parallel.forEach(x.count, i -> {
            float[] in = new float[x.size];
            x.read(i, in);
            for (int c = 0; c < channels; c++) {
                double m = mean[c];
                double s = 0;
                for (int p = c * plane, end = p + plane; p < end; p++) {
                    double d = in[p] - m;
                    s += d * d;
                }
                sums[i][c] = s;
            }
        });
        total(sums, variance, count);
    }

    /** y = scale_c·x + shift_c. */
    static void affine(Images x, Images y, int channels, int plane, double[] scale, double[] shift) {
        Parallel.forEach(x.count, i -> {
            float[] v = new float[x.size];
            x.read(i, v);
            for (int c = 0; c < channels; c++) {
                float a = (float) scale[c];
                float b = (float) shift[c];
                for (int p = c * plane, end = p + plane; p < end; p++) {
                    v[p] = a * v[p] + b;
                }
            }
            y.write(i, v);
        });
    }

    /**
     * Gradient of training-mode batch normalisation: with x̂ = (x − μ)·r, r = 1/√(σ² + ε),
     * dβ = Σ dy, dγ = Σ dy·x̂ and dx = γ·r·(dy − dβ/M − x̂·dγ/M), M = N·P.
     */
    static void backward(Images x, Images dy, Images dx, int channels, int plane, double[] mean, double[] invStd,
                         double[] gamma, double[] dGamma, double[] dBeta) {
        double count = (double) x.count * plane;
        double[][] sumDy = new double[x.count][channels];
        double[][] sumDyXhat = new double[x.count][channels];
        Parallel.forEach(x.count, i -> {
            float[] in = new float[x.size];
            float[] g = new float[x.size];
            x.read(i, in);
            dy.read(i, g);
            for (int c = 0; c < channels; c++) {
                double m = mean[c];
                double a = 0;
                double b = 0;
                for (int p = c * plane, end = p + plane; p < end; p++) {
                    a += g[p];
                    b += g[p] * (in[p] - m);
                }
                sumDy[i][c] = a;
                sumDyXhat[i][c] = b * invStd[c];
            }
        });
        total(sumDy, dBeta, 1);
        total(sumDyXhat, dGamma, 1);
        Parallel.forEach(x.count, i -> {
            float[] in = new float[x.size];
            float[] g = new float[x.size];
            x.read(i, in);
            dy.read(i, g);
            for (int c = 0; c < channels; c++) {
                double m = mean[c];
                double r = invStd[c];
                double k = gamma[c] * r;
                double meanDy = dBeta[c] / count;
                double meanDyXhat = dGamma[c] / count;
                for (int p = c * plane, end = p + plane; p < end; p++) {
                    double xhat = (in[p] - m) * r;
                    in[p] = (float) (k * (g[p] - meanDy - xhat * meanDyXhat));
                }
            }
            dx.write(i, in);
        });
    }

    /** out[c] = Σ_i parts[i][c] / divisor, summed in image order (the same for any thread count). */
    private static void total(double[][] parts, double[] out, double divisor) {
        java.util.Arrays.fill(out, 0);
        for (double[] part : parts) {
            for (int c = 0; c < out.length; c++) {
                out[c] += part[c];
            }
        }
        for (int c = 0; c < out.length; c++) {
            out[c] /= divisor;
        }
    }
}
