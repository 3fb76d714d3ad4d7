package org.jbia.train.backend.dl4j;

import java.util.Arrays;
import org.jbia.train.backend.dl4j.HostFloats.Images;
import org.jbia.train.backend.dl4j.HostFloats.Scratch;

/**
 * TensorFlow's local response normalisation across channels, y_c = x_c · s_c^−β with
 * s_c = bias + α·Σ_{|c'−c| ≤ radius} x_c'², and its gradient, image by image on N×C×P float arrays
 * (P = H·W). One pass per image with a sliding window over channels, where DL4J's own layer runs some
 * twenty separate array operations (and its gradient is off by a term of order α).
 */
final class LrnKernel {
    private final int radius;
    private final double bias;
    private final double alpha;
    private final double beta;

    LrnKernel(int radius, double bias, double alpha, double beta) {
        this.radius = radius;
        this.bias = bias;
        this.alpha = alpha;
        this.beta = beta;
    }

    void forward(Images x, Images y, int channels, int plane) {
        Parallel.forEach(x.count, i -> {
            float[] in = Scratch.floats(0, x.size);
            float[] out = Scratch.floats(1, x.size);
            x.read(i, in);
            double[] window = new double[plane];
            for (int c = 0; c < channels; c++) {
                slide(in, window, c, channels, plane, true);
                int off = c * plane;
                for (int p = 0; p < plane; p++) {
                    out[off + p] = (float) (in[off + p] * scale(bias + alpha * window[p]));
                }
            }
            y.write(i, out);
        });
    }

    /**
     * dL/dx_j = g_j·s_j^−β − 2αβ·x_j·Σ_{c: |c−j| ≤ radius} g_c·x_c·s_c^(−β−1), from the input x and the
     * gradient g of the output.
     */
    void backward(Images x, Images g, Images dx, int channels, int plane) {
        Parallel.forEach(x.count, i -> {
            float[] in = Scratch.floats(0, x.size);
            float[] grad = Scratch.floats(1, x.size);
            x.read(i, in);
            g.read(i, grad);
            float[] scales = Scratch.floats(2, x.size);
            float[] terms = Scratch.floats(3, x.size);
            double[] window = new double[plane];
            for (int c = 0; c < channels; c++) {
                slide(in, window, c, channels, plane, true);
                int off = c * plane;
                for (int p = 0; p < plane; p++) {
                    double s = bias + alpha * window[p];
                    double sc = scale(s);
                    scales[off + p] = (float) sc;
                    terms[off + p] = (float) (grad[off + p] * in[off + p] * sc / s);
                }
            }
            double k = 2 * alpha * beta;
            for (int c = 0; c < channels; c++) {
                slide(terms, window, c, channels, plane, false);
                int off = c * plane;
                for (int p = 0; p < plane; p++) {
                    // scales is done with once read: it takes the result
                    scales[off + p] = (float) (grad[off + p] * scales[off + p] - k * in[off + p] * window[p]);
                }
            }
            dx.write(i, scales);
        });
    }

    /** Moves the window sum of v (or of v², {@code squares}) from channel c−1 to c; fills it for c = 0. */
    private void slide(float[] v, double[] window, int c, int channels, int plane, boolean squares) {
        if (c == 0) {
            Arrays.fill(window, 0);
            for (int d = 0; d <= Math.min(radius, channels - 1); d++) {
                accumulate(v, window, d * plane, plane, 1, squares);
            }
            return;
        }
        if (c + radius < channels) {
            accumulate(v, window, (c + radius) * plane, plane, 1, squares);
        }
        if (c - radius - 1 >= 0) {
            accumulate(v, window, (c - radius - 1) * plane, plane, -1, squares);
        }
    }

    private static void accumulate(float[] v, double[] window, int off, int plane, int sign, boolean squares) {
        for (int p = 0; p < plane; p++) {
            double e = v[off + p];
            window[p] += sign * (squares ? e * e : e);
        }
    }

    /** s^−β; pyBIA's β = 0.75 takes two square roots instead of a pow. */
    private double scale(double s) {
        if (beta == 0.75) {
            double r = Math.sqrt(s);
            return 1 / (r * Math.sqrt(r));
        }
        return Math.pow(s, -beta);
    }
}
