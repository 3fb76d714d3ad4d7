package org.jbia.augment.engine;

import java.util.SplittableRandom;

/**
 * Circular cutouts: zeroes, in every band, each pixel within {@code radius} of a random centre. The
 * centre is placed so that the whole circle lies inside the image, as pyBIA's {@code random_cutout}.
 */
final class Cutout {
    private Cutout() {
    }

    /** The largest radius whose circle, 2·floor(r)+1 pixels across, fits an image with this short side. */
    static int radiusLimitExclusive(int side) {
        return (side - 1) / 2 + 1;
    }

    static void apply(float[] px, int base, int h, int w, int bands, double radius, int count,
                      SplittableRandom rng) {
        int reach = (int) Math.floor(radius);
        double r2 = radius * radius;
        int stride = w * bands;
        for (int k = 0; k < count; k++) {
            int cy = rng.nextInt(reach, h - reach);
            int cx = rng.nextInt(reach, w - reach);
            for (int dy = -reach; dy <= reach; dy++) {
                int row = base + (cy + dy) * stride;
                for (int dx = -reach; dx <= reach; dx++) {
                    if (dx * dx + dy * dy <= r2) {
                        int o = row + (cx + dx) * bands;
                        for (int c = 0; c < bands; c++) {
                            px[o + c] = 0f;
                        }
                    }
                }
            }
        }
    }
}
