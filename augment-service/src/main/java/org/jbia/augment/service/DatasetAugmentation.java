package org.jbia.augment.service;

import org.jbia.augment.engine.Augmenter;
import org.jbia.common.array.ImageStack;
import org.jbia.common.data.CenterCrop;
import org.jbia.common.schema.AugmentSpec;

/**
 * A job's augmentation, pyBIA's {@code create()} rule: each class is replaced by its augmented version
 * (a class without a spec stays as given), and validation and test images, never augmented, are
 * centre-cropped to the size the classes now have, so the network sees one image size.
 */
public final class DatasetAugmentation {

    /** The stacks of a data set; validation and test may be null. */
    public record Dataset(ImageStack positive, ImageStack negative, ImageStack valPositive, ImageStack valNegative,
                          ImageStack testPositive, ImageStack testNegative) {
    }

    private DatasetAugmentation() {
    }

    public static Dataset apply(Dataset in, AugmentSpec positiveSpec, AugmentSpec negativeSpec, long seed) {
        // Each class draws from its own stream, so changing one class's spec never changes the other's images.
        ImageStack positive = positiveSpec == null ? in.positive()
                : Augmenter.augment(in.positive(), positiveSpec, classSeed(seed, 1));
        ImageStack negative = negativeSpec == null ? in.negative()
                : Augmenter.augment(in.negative(), negativeSpec, classSeed(seed, 2));
        if (positive.height() != negative.height()) {
            throw new org.jbia.common.schema.InvalidSpecException("augmentation", java.util.List.of(
                    "augment_positive.image_size / augment_negative.image_size: the classes come out at "
                            + positive.height() + " and " + negative.height()
                            + " pixels; crop both to the same image_size"));
        }
        int size = positive.height();
        return new Dataset(positive, negative, fit(in.valPositive(), size), fit(in.valNegative(), size),
                fit(in.testPositive(), size), fit(in.testNegative(), size));
    }

    private static ImageStack fit(ImageStack stack, int size) {
        return stack == null || stack.height() == size ? stack : CenterCrop.crop(stack, size);
    }

    /** SplitMix64 finaliser: well-separated seeds from one job seed. */
    static long classSeed(long seed, int stream) {
        long z = seed + stream * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
