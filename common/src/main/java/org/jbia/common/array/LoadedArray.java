package org.jbia.common.array;

/** An image stack together with what its file held. */
public record LoadedArray(ArrayInfo info, ImageStack stack) {
}
