package org.jbia.cli.simulate;

import org.jbia.common.array.ImageStack;

/**
 * A simulated training set: strong lenses (the positive class) and everything else (the negative
 * class), both float32 N×H×W×3 in the bands g, r, i, background subtracted and not normalised.
 */
public record Sample(ImageStack lenses, ImageStack others) {
}
