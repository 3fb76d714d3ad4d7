package org.jbia.train.backend.dl4j;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ND4J's off-heap float arrays as seen by the layers whose arithmetic runs as Java loops
 * ({@link LrnKernel}, {@link BatchNormKernel}): small arrays copied whole, activations one image at a
 * time, so that a layer never holds a batch's worth of floats on the Java heap.
 */
final class HostFloats {

    private HostFloats() {
    }

    /** The elements of {@code a} in C order (copied through a dense C-order duplicate when needed). */
    static float[] read(INDArray a) {
        INDArray dense = dense(a);
        float[] out = new float[Math.toIntExact(dense.length())];
        pointer(dense).get(out);
        return out;
    }

    /** Writes {@code values} (C order) into {@code target}, which must be a dense C-order float array. */
    static void write(float[] values, INDArray target) {
        requireDense(target, values.length);
        pointer(target).put(values);
    }

    /** {@code a} itself when it is a dense C-order float array, else such a copy. */
    static INDArray dense(INDArray a) {
        return isDenseC(a) ? a : a.castTo(DataType.FLOAT).dup('c');
    }

    /**
     * Whether {@code a} is float with its elements adjacent in C order. A vector's order flag says nothing
     * of its layout: DL4J's rank-1 parameter and gradient views are flagged 'f' and are as dense as any.
     */
    static boolean isDenseC(INDArray a) {
        return a.dataType() == DataType.FLOAT && (a.ordering() == 'c' || a.rank() <= 1 || a.isVector())
                && a.elementWiseStride() == 1 && a.data().length() >= a.length();
    }

    private static void requireDense(INDArray a, long length) {
        if (!isDenseC(a) || a.length() != length) {
            throw new IllegalArgumentException("expected a dense C-order float array of " + length
                    + " elements, got " + a.shapeInfoToString());
        }
    }

    /** A pointer at the array's first element (ND4J's address pointer already includes a view's offset). */
    private static FloatPointer pointer(INDArray a) {
        return (FloatPointer) a.data().addressPointer();
    }

    /**
     * A dense C-order array of {@code count} images of {@code size} floats each (N×C×H×W: size C·H·W),
     * read and written one image at a time; safe to use from several threads on different images. It
     * holds the array itself, not only its address, so that a temporary copy stays allocated while in use.
     */
    static final class Images {
        private final INDArray array;
        final int count;
        final int size;

        private Images(INDArray a, int count, int size) {
            this.array = a;
            this.count = count;
            this.size = size;
        }

        /** The images of {@code a}, which must be dense C-order float (see {@link #dense}). */
        static Images of(INDArray a) {
            int count = Math.toIntExact(a.size(0));
            int size = Math.toIntExact(a.length() / Math.max(1, count));
            requireDense(a, (long) count * size);
            return new Images(a, count, size);
        }

        void read(int image, float[] into) {
            new FloatPointer(pointer(array)).position((long) image * size).get(into, 0, size);
        }

        void write(int image, float[] from) {
            new FloatPointer(pointer(array)).position((long) image * size).put(from, 0, size);
        }
    }

    /**
     * Per-thread working arrays for one image's floats, reused from call to call: a kernel that allocated
     * them per image spent more time in allocation and zeroing (about 3 ns a float for ResNet-18's
     * 74,000-float images) than in its arithmetic. A kernel body takes distinct slots for arrays it needs
     * at the same time and must not call another kernel while it holds them.
     */
    static final class Scratch {
        private static final ThreadLocal<float[][]> SLOTS = ThreadLocal.withInitial(() -> new float[4][0]);

        private Scratch() {
        }

        /** Slot {@code slot} (0 to 3) of this thread, at least {@code size} floats long; contents undefined. */
        static float[] floats(int slot, int size) {
            float[][] slots = SLOTS.get();
            if (slots[slot].length < size) {
                slots[slot] = new float[size];
            }
            return slots[slot];
        }
    }
}
