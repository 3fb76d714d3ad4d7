package org.jbia.augment.engine;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.jbia.common.array.ImageStack;
import org.jbia.common.array.Npy;
import org.jbia.common.schema.AugmentSpec;

/** Images and specs shared by the engine tests. */
final class TestImages {
    private TestImages() {
    }

    /** Values ~ U(-1, 2), distinct almost surely, so any misplaced pixel shows. */
    static ImageStack random(int count, int height, int width, int bands, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] px = new float[count * height * width * bands];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (3 * rng.nextDouble() - 1);
        }
        return new ImageStack(count, height, width, bands, px);
    }

    /** Image n, band c at (y, x) = f(n, y, x, c) for a function that is easy to check. */
    static ImageStack of(int count, int height, int width, int bands, PixelFunction f) {
        ImageStack s = ImageStack.zeros(count, height, width, bands);
        for (int n = 0; n < count; n++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    for (int c = 0; c < bands; c++) {
                        s.pixels()[s.index(n, y, x, c)] = f.value(n, y, x, c);
                    }
                }
            }
        }
        return s;
    }

    interface PixelFunction {
        float value(int n, int y, int x, int c);
    }

    /** The 20 real lenses, (20, 100, 100, 3) float32. */
    static ImageStack lenses() {
        String root = System.getProperty("bia.project.root", ".");
        return Npy.read(Path.of(root).resolve("../shared/data/lenses.npy").normalize());
    }

    /** A spec builder, since the record has sixteen components. */
    static final class Spec {
        Integer batch;
        Integer widthShift;
        Integer heightShift;
        Boolean horizontal;
        Boolean vertical;
        Boolean rotation;
        String fill;
        Integer imageSize;
        double[] zoomRange;
        Double skewAngle;
        Double maskSize;
        Integer numMasks;
        Double blendMultiplier;
        String blendingFunc;
        Integer numImagesToBlend;
        String interpolation;

        Spec batch(int v) {
            batch = v;
            return this;
        }

        Spec shifts(int w, int h) {
            widthShift = w;
            heightShift = h;
            return this;
        }

        Spec flips(boolean h, boolean v) {
            horizontal = h;
            vertical = v;
            return this;
        }

        Spec rotation(boolean v) {
            rotation = v;
            return this;
        }

        Spec fill(String v) {
            fill = v;
            return this;
        }

        Spec imageSize(Integer v) {
            imageSize = v;
            return this;
        }

        Spec zoom(double min, double max) {
            zoomRange = new double[] {min, max};
            return this;
        }

        Spec skew(double v) {
            skewAngle = v;
            return this;
        }

        Spec masks(Double size, Integer count) {
            maskSize = size;
            numMasks = count;
            return this;
        }

        Spec blend(double multiplier, String func, int images) {
            blendMultiplier = multiplier;
            blendingFunc = func;
            numImagesToBlend = images;
            return this;
        }

        Spec interpolation(String v) {
            interpolation = v;
            return this;
        }

        AugmentSpec build() {
            return new AugmentSpec(batch, widthShift, heightShift, horizontal, vertical, rotation, fill, imageSize,
                    zoomRange, skewAngle, maskSize, numMasks, blendMultiplier, blendingFunc, numImagesToBlend,
                    interpolation);
        }
    }

    static Spec spec() {
        return new Spec();
    }

    /** Everything on at once: the hardest case for reproducibility. */
    static AugmentSpec everything() {
        return spec().batch(3).shifts(5, 4).flips(true, true).rotation(true).fill("reflect").imageSize(20)
                .zoom(0.9, 1.2).skew(10).masks(2.5, 2).blend(1.5, "random", 3).build();
    }
}
