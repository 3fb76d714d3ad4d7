package org.jbia.train.training;

import java.util.Random;
import org.jbia.common.array.ImageStack;

/** Small synthetic images: positives carry a bright central blob, negatives only background noise. */
final class ToyData {
    private ToyData() {
    }

    static ImageStack images(int count, int size, int bands, boolean positive, long seed) {
        Random r = new Random(seed);
        ImageStack s = ImageStack.zeros(count, size, size, bands);
        float[] px = s.pixels();
        double c = (size - 1) / 2.0;
        for (int n = 0; n < count; n++) {
            double amplitude = positive ? 40 + 20 * r.nextDouble() : 0;
            double cx = c + r.nextGaussian();
            double cy = c + r.nextGaussian();
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double blob = amplitude * Math.exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / 8.0);
                    for (int b = 0; b < bands; b++) {
                        px[s.index(n, y, x, b)] = (float) (20 + 5 * r.nextGaussian() + blob);
                    }
                }
            }
        }
        return s;
    }
}
