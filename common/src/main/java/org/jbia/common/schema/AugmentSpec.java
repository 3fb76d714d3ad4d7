package org.jbia.common.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * How to augment one class: pyBIA's {@code augmentation(...)} arguments under their seed names.
 * A null field takes the default given here; validation of values that depend on the images
 * (a crop or mask too large) happens where the images are known.
 *
 * @param batch              augmented copies made of each input image
 * @param widthShift         largest horizontal shift in pixels (uniform in [-s, s])
 * @param heightShift        largest vertical shift in pixels
 * @param horizontal         random horizontal flip (p = 0.5)
 * @param vertical           random vertical flip (p = 0.5)
 * @param rotation           random rotation in [0, 360) degrees
 * @param fill               how pixels from outside the image are filled: constant, nearest, reflect, wrap
 * @param imageSize          centre crop to this size; null keeps the input size
 * @param zoomRange          [min, max] zoom factors, or null for none
 * @param skewAngle          largest shear angle in degrees (0 = none)
 * @param maskSize           radius of the circular cutouts in pixels, or null for none
 * @param numMasks           cutouts per image
 * @param blendMultiplier    0 = no blending; otherwise >= 1, the class grows by this factor through blends
 * @param blendingFunc       mean, max, min or random
 * @param numImagesToBlend   images combined into one blend
 * @param interpolation      bilinear (default) or nearest (pyBIA's)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AugmentSpec(Integer batch, Integer widthShift, Integer heightShift, Boolean horizontal,
                          Boolean vertical, Boolean rotation, String fill, Integer imageSize, double[] zoomRange,
                          Double skewAngle, Double maskSize, Integer numMasks, Double blendMultiplier,
                          String blendingFunc, Integer numImagesToBlend, String interpolation) {

    public static final List<String> FILLS = List.of("constant", "nearest", "reflect", "wrap");
    public static final List<String> BLENDING_FUNCS = List.of("mean", "max", "min", "random");
    public static final List<String> INTERPOLATIONS = List.of("bilinear", "nearest");

    public AugmentSpec {
        batch = batch == null ? 1 : batch;
        widthShift = widthShift == null ? 0 : widthShift;
        heightShift = heightShift == null ? 0 : heightShift;
        horizontal = horizontal != null && horizontal;
        vertical = vertical != null && vertical;
        rotation = rotation != null && rotation;
        fill = fill == null ? "nearest" : fill;
        skewAngle = skewAngle == null ? 0.0 : skewAngle;
        numMasks = numMasks == null ? (maskSize == null ? 0 : 1) : numMasks;
        blendMultiplier = blendMultiplier == null ? 0.0 : blendMultiplier;
        blendingFunc = blendingFunc == null ? "mean" : blendingFunc;
        numImagesToBlend = numImagesToBlend == null ? 2 : numImagesToBlend;
        interpolation = interpolation == null ? "bilinear" : interpolation;
        zoomRange = zoomRange == null ? null : zoomRange.clone();
    }

    /** No augmentation at all: one copy of each image, as it is. */
    public static AugmentSpec identity() {
        return new AugmentSpec(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    /** Problems that can be seen without the images, each naming its field. */
    public Problems problems(String prefix) {
        Problems p = new Problems();
        if (batch < 1) {
            p.add(prefix + "batch", batch, "it must be >= 1 (augmented copies per image)");
        }
        p.requireNonNegative(prefix + "width_shift", widthShift);
        p.requireNonNegative(prefix + "height_shift", heightShift);
        p.requireOneOf(prefix + "fill", fill, FILLS);
        p.requireOneOf(prefix + "blending_func", blendingFunc, BLENDING_FUNCS);
        p.requireOneOf(prefix + "interpolation", interpolation, INTERPOLATIONS);
        if (imageSize != null && imageSize < 1) {
            p.add(prefix + "image_size", imageSize, "it must be >= 1");
        }
        if (zoomRange != null) {
            if (zoomRange.length != 2) {
                p.add(prefix + "zoom_range", zoomRange, "it must be [min, max]");
            } else if (!(zoomRange[0] > 0) || zoomRange[0] > zoomRange[1]) {
                p.add(prefix + "zoom_range", zoomRange, "it must be [min, max] with 0 < min <= max");
            }
        }
        p.requireInRange(prefix + "skew_angle", skewAngle, 0, 89);
        if (maskSize != null && !(maskSize > 0)) {
            p.add(prefix + "mask_size", maskSize, "it must be > 0 (a circle radius in pixels)");
        }
        p.requireNonNegative(prefix + "num_masks", numMasks);
        if (blendMultiplier != 0 && !(blendMultiplier >= 1)) {
            p.add(prefix + "blend_multiplier", blendMultiplier, "it must be 0 (no blending) or >= 1");
        }
        if (numImagesToBlend < 2) {
            p.add(prefix + "num_images_to_blend", numImagesToBlend, "it must be >= 2");
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AugmentSpec s && toString().equals(s.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "AugmentSpec[batch=" + batch + ", width_shift=" + widthShift + ", height_shift=" + heightShift
                + ", horizontal=" + horizontal + ", vertical=" + vertical + ", rotation=" + rotation + ", fill=" + fill
                + ", image_size=" + imageSize + ", zoom_range=" + java.util.Arrays.toString(zoomRange)
                + ", skew_angle=" + skewAngle + ", mask_size=" + maskSize + ", num_masks=" + numMasks
                + ", blend_multiplier=" + blendMultiplier + ", blending_func=" + blendingFunc
                + ", num_images_to_blend=" + numImagesToBlend + ", interpolation=" + interpolation + "]";
    }
}
