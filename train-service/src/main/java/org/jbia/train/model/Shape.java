package org.jbia.train.model;

import java.util.List;

/**
 * The shape of one example between layers: an image (height × width × channels) or a flat vector
 * (height = width = 1, channels = features, {@code flat} true).
 */
public record Shape(int height, int width, int channels, boolean flat) {

    public static Shape image(int height, int width, int channels) {
        return new Shape(height, width, channels, false);
    }

    public static Shape flat(long features) {
        return new Shape(1, 1, Math.toIntExact(features), true);
    }

    public long size() {
        return (long) height * width * channels;
    }

    /** TensorFlow 'same' output length. */
    public static int same(int in, int stride) {
        return (in + stride - 1) / stride;
    }

    /** TensorFlow 'same' total padding for one axis. */
    public static int samePadding(int in, int kernel, int stride) {
        return Math.max((same(in, stride) - 1) * stride + kernel - in, 0);
    }

    static Shape through(List<Layer> layers, Shape in) {
        Shape s = in;
        for (Layer l : layers) {
            s = l.outputShape(s);
        }
        return s;
    }

    static long trainable(List<Layer> layers, Shape in) {
        long n = 0;
        Shape s = in;
        for (Layer l : layers) {
            n += l.trainableParameters(s);
            s = l.outputShape(s);
        }
        return n;
    }

    static long state(List<Layer> layers, Shape in) {
        long n = 0;
        Shape s = in;
        for (Layer l : layers) {
            n += l.stateParameters(s);
            s = l.outputShape(s);
        }
        return n;
    }

    @Override
    public String toString() {
        return flat ? "(" + channels + ")" : "(" + height + ", " + width + ", " + channels + ")";
    }
}
