package org.jbia.train.model;

import java.util.Arrays;
import java.util.List;
import org.jbia.common.array.ImageStack;
import org.jbia.common.data.CenterCrop;
import org.jbia.common.data.Normalization;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.TrainSpec;

/**
 * What every image goes through before the network, at training and at prediction: a centre crop to
 * the network's input size (images larger than it are cropped, smaller ones refused), then, when
 * {@code normalize}, pyBIA's min-max normalisation per band. Stored in the model bundle.
 *
 * @param size      the network's input height and width
 * @param bands     bands per image
 * @param maxPixel  one ceiling per band
 */
public record Preprocessing(int size, int bands, boolean normalize, double minPixel, double[] maxPixel) {

    public Preprocessing {
        maxPixel = maxPixel.clone();
    }

    /** The spec's settings for images of {@code bands} bands; a single max_pixel serves every band. */
    public static Preprocessing of(TrainSpec spec, int size, int bands) {
        return new Preprocessing(size, bands, spec.normalize(), spec.minPixel(), perBand(spec.maxPixel(), bands));
    }

    /** One value per band: a single value is repeated, any other length is kept (and refused on use). */
    public static double[] perBand(double[] maxPixel, int bands) {
        if (maxPixel.length == 1 && bands > 1) {
            double[] all = new double[bands];
            Arrays.fill(all, maxPixel[0]);
            return all;
        }
        return maxPixel.clone();
    }

    /**
     * The images as the network sees them.
     *
     * @throws InvalidSpecException when the images are smaller than the input or have other bands
     */
    public ImageStack apply(ImageStack images, String setName) {
        problem(images, setName);
        ImageStack out = images.height() == size && images.width() == size ? images : CenterCrop.crop(images, size);
        return normalize ? Normalization.normalize(out, minPixel, maxPixel) : out;
    }

    private void problem(ImageStack images, String setName) {
        if (images.bands() != bands) {
            throw new InvalidSpecException(setName, List.of(setName + " images have " + images.bands()
                    + " bands; the model takes " + bands));
        }
        if (images.height() < size || images.width() < size) {
            throw new InvalidSpecException(setName, List.of(setName + " images are " + images.height() + "x"
                    + images.width() + ", smaller than the network's input of " + size + "x" + size
                    + "; images must be at least that large (larger ones are centre-cropped)"));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && p.size == size && p.bands == bands && p.normalize == normalize
                && p.minPixel == minPixel && Arrays.equals(p.maxPixel, maxPixel);
    }

    @Override
    public int hashCode() {
        return 31 * size + Arrays.hashCode(maxPixel);
    }

    @Override
    public String toString() {
        return "Preprocessing[size=" + size + ", bands=" + bands + ", normalize=" + normalize + ", min_pixel="
                + minPixel + ", max_pixel=" + Arrays.toString(maxPixel) + "]";
    }
}
