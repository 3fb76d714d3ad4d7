package org.jbia.common.array;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * NumPy {@code .npy} files: format versions 1.0, 2.0 and 3.0; float16/32/64, int8/16/32/64,
 * uint8/16/32/64 and bool, either byte order, C or Fortran order; read into float32 N×H×W×C.
 *
 * <p>Shapes: (N, H, W, C) as they are; (N, H, W) as N one-band images unless the options ask for
 * {@link ArrayReadOptions.Rank3Layout#IMAGE}, which reads it as one (H, W, C) image; (H, W) as one
 * one-band image. Everything is checked before the pixel array is allocated: the element count
 * (overflow and {@link ArrayReadOptions#maxElements()}) and, where the size is known, that the data
 * is exactly as long as the shape says. Object arrays are refused: pickles are never loaded.
 *
 * <p>Writing produces float32 little-endian C-order version 1.0 files, shape (N, H, W, C), which
 * {@code numpy.load} reads back bit for bit.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy itself refuses headers over 10 000 bytes by default; this leaves room for odd writers. */
    static final int MAX_HEADER_BYTES = 1 << 20;
    private static final int CHUNK_BYTES = 1 << 20;

    private Npy() {
    }

    public static ImageStack read(Path file) {
        return load(file, ArrayReadOptions.defaults()).stack();
    }

    public static ImageStack read(Path file, ArrayReadOptions options) {
        return load(file, options).stack();
    }

    public static ImageStack read(byte[] bytes) {
        return load(bytes, ArrayReadOptions.defaults()).stack();
    }

    public static ImageStack read(byte[] bytes, ArrayReadOptions options) {
        return load(bytes, options).stack();
    }

    /** Reads a file, with what it held as stored. */
    public static LoadedArray load(Path file, ArrayReadOptions options) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return load(channel, channel.size(), null, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }

    public static LoadedArray load(byte[] bytes, ArrayReadOptions options) {
        try {
            return load(Channels.newChannel(new ByteArrayInputStream(bytes)), bytes.length, null, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads one {@code .npy} stream.
     *
     * @param totalBytes the stream's length when known, -1 otherwise (then a size mismatch shows up
     *                   only while reading, still before anything past the declared size is kept)
     * @param arrayName  the archive entry, for {@code .npz}; null for a plain file
     */
    static LoadedArray load(ReadableByteChannel in, long totalBytes, String arrayName, ArrayReadOptions options)
            throws IOException {
        if (totalBytes == 0) {
            throw new ArrayFormatException("empty file: 0 bytes, where a .npy array was expected");
        }
        ByteBuffer preamble = ByteBuffer.allocate(8);
        int got = readFully(in, preamble);
        if (got == 0) {
            throw new ArrayFormatException("empty file: 0 bytes, where a .npy array was expected");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= got || preamble.get(i) != MAGIC[i]) {
                throw new ArrayFormatException("not a .npy file: it does not start with the magic string \\x93NUMPY");
            }
        }
        if (got < 8) {
            throw new ArrayFormatException("truncated .npy file: it ends inside the format version");
        }
        int major = preamble.get(6);
        int minor = preamble.get(7);
        if (major < 1 || major > 3 || minor != 0) {
            throw new ArrayFormatException(".npy format version " + major + "." + minor
                    + " is not supported; versions 1.0, 2.0 and 3.0 are");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (readFully(in, lengthBytes) < lengthBytes.capacity()) {
            throw new ArrayFormatException("truncated .npy file: it ends inside the header length");
        }
        long headerLength = major == 1 ? Short.toUnsignedInt(lengthBytes.getShort(0))
                : Integer.toUnsignedLong(lengthBytes.getInt(0));
        long dataStart = 8 + lengthBytes.capacity() + headerLength;
        if (headerLength > MAX_HEADER_BYTES) {
            throw new ArrayFormatException(".npy header length " + headerLength + " bytes is more than the "
                    + MAX_HEADER_BYTES + " allowed; the file is damaged or not an image array");
        }
        if (totalBytes >= 0 && dataStart > totalBytes) {
            throw new ArrayFormatException("truncated .npy file: the header of " + headerLength
                    + " bytes runs past the end of the " + totalBytes + "-byte file");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        if (readFully(in, headerBytes) < headerLength) {
            throw new ArrayFormatException("truncated .npy file: it ends inside the " + headerLength + "-byte header");
        }
        // Version 3 exists only to allow UTF-8 in the header (structured field names).
        String text = new String(headerBytes.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader header = NpyHeader.parse(major, text);
        ElementType type = ElementType.parse(header.descr());
        long elements = elementCount(header.shape(), options.maxElements());
        Layout layout = layout(header.shape(), options.rank3());
        long dataBytes = elements * type.size(); // cannot overflow: elements <= Integer.MAX_VALUE
        if (totalBytes >= 0) {
            long available = totalBytes - dataStart;
            if (available < dataBytes) {
                throw new ArrayFormatException("truncated .npy file: shape " + shapeText(header.shape()) + " of "
                        + type.name() + " needs " + dataBytes + " data bytes, the file has " + available);
            }
            if (available > dataBytes) {
                throw new ArrayFormatException("the header's shape " + shapeText(header.shape())
                        + " does not match the data: " + type.name() + " needs " + dataBytes + " bytes, the file has "
                        + available);
            }
        }
        float[] values = new float[(int) elements];
        readValues(in, type, values, header.shape(), dataBytes);
        if (totalBytes < 0) {
            int extra = readFully(in, ByteBuffer.allocate(1));
            if (extra > 0) {
                throw new ArrayFormatException("the header's shape " + shapeText(header.shape())
                        + " does not match the data: " + type.name() + " needs " + dataBytes
                        + " bytes, the stream holds more");
            }
        }
        int[] nhwc = layout.nhwc();
        float[] pixels = header.fortranOrder() ? fortranToC(values, nhwc) : values;
        ArrayInfo info = new ArrayInfo(arrayName == null ? "npy" : "npz", arrayName, header.shape(), type.name(),
                type.byteOrderName(), header.fortranOrder() ? "Fortran" : "C", layout.description());
        return new LoadedArray(info, new ImageStack(nhwc[0], nhwc[1], nhwc[2], nhwc[3], pixels));
    }

    private static void readValues(ReadableByteChannel in, ElementType type, float[] values, long[] shape,
                                   long dataBytes) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect((int) Math.min(CHUNK_BYTES, Math.max(dataBytes, 8)));
        long done = 0;
        int filled = 0;
        while (done < dataBytes) {
            chunk.clear();
            chunk.limit((int) Math.min(chunk.capacity(), dataBytes - done));
            int n = readFully(in, chunk);
            if (n < chunk.limit()) {
                throw new ArrayFormatException("truncated .npy data: shape " + shapeText(shape) + " of " + type.name()
                        + " needs " + dataBytes + " data bytes, found " + (done + n));
            }
            chunk.flip();
            int count = n / type.size();
            type.decode(chunk, values, filled, count);
            filled += count;
            done += n;
        }
    }

    /** N×H×W×C and how the stored shape got there. */
    private record Layout(int[] nhwc, String description) {
    }

    private static Layout layout(long[] shape, ArrayReadOptions.Rank3Layout rank3) {
        long[] d;
        String description;
        switch (shape.length) {
            case 4 -> {
                d = shape;
                description = "(N, H, W, C)";
            }
            case 3 -> {
                if (rank3 == ArrayReadOptions.Rank3Layout.IMAGE) {
                    d = new long[] {1, shape[0], shape[1], shape[2]};
                    description = "(H, W, C) as one image";
                } else {
                    d = new long[] {shape[0], shape[1], shape[2], 1};
                    description = "(N, H, W) as N one-band images";
                }
            }
            case 2 -> {
                d = new long[] {1, shape[0], shape[1], 1};
                description = "(H, W) as one one-band image";
            }
            default -> throw new ArrayFormatException("shape " + shapeText(shape) + " is not an image array: expected "
                    + "(N, H, W, C), (N, H, W) for one-band images, (H, W, C) for one image (read with layout IMAGE), "
                    + "or (H, W)");
        }
        for (int i = 1; i < 4; i++) {
            if (d[i] < 1) {
                throw new ArrayFormatException("shape " + shapeText(shape) + " read as " + description
                        + " has an empty height, width or band axis; each must be >= 1");
            }
        }
        for (long dim : d) {
            if (dim > Integer.MAX_VALUE) {
                throw new ArrayFormatException("shape " + shapeText(shape) + " has an axis longer than "
                        + Integer.MAX_VALUE);
            }
        }
        return new Layout(new int[] {(int) d[0], (int) d[1], (int) d[2], (int) d[3]}, description);
    }

    /** The product of the dimensions, refused if it overflows or passes the limit. */
    static long elementCount(long[] shape, long limit) {
        long elements = 1;
        for (long dim : shape) {
            try {
                elements = Math.multiplyExact(elements, dim);
            } catch (ArithmeticException e) {
                throw new ArrayFormatException("shape " + shapeText(shape)
                        + " has more elements than a 64-bit count can hold");
            }
        }
        if (elements > limit) {
            throw new ArrayFormatException("shape " + shapeText(shape) + " holds " + elements
                    + " elements, more than the limit of " + limit + " (ArrayReadOptions.maxElements)");
        }
        return elements;
    }

    /** Reorders first-axis-fastest (Fortran) values of an N×H×W×C array into C order. */
    static float[] fortranToC(float[] values, int[] nhwc) {
        int n = nhwc[0];
        int h = nhwc[1];
        int w = nhwc[2];
        int c = nhwc[3];
        float[] out = new float[values.length];
        int f = 0;
        for (int band = 0; band < c; band++) {
            for (int x = 0; x < w; x++) {
                for (int y = 0; y < h; y++) {
                    for (int image = 0; image < n; image++) {
                        out[((image * h + y) * w + x) * c + band] = values[f++];
                    }
                }
            }
        }
        return out;
    }

    static String shapeText(long[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** Fills {@code buffer} from its position to its limit unless the stream ends; returns the bytes read. */
    private static int readFully(ReadableByteChannel in, ByteBuffer buffer) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** Float32 little-endian C-order {@code .npy}, version 1.0, shape (N, H, W, C). */
    public static byte[] write(ImageStack stack) {
        byte[] header = header(stack);
        ByteBuffer buf = ByteBuffer.allocate(header.length + stack.pixels().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(header);
        buf.asFloatBuffer().put(stack.pixels());
        return buf.array();
    }

    public static void write(ImageStack stack, Path file) {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, ByteBuffer.wrap(header(stack)));
            // In chunks, so that a large stack is not copied whole into a byte array first.
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            float[] pixels = stack.pixels();
            for (int from = 0; from < pixels.length; from += CHUNK_BYTES / 4) {
                int count = Math.min(CHUNK_BYTES / 4, pixels.length - from);
                chunk.clear();
                chunk.asFloatBuffer().put(pixels, from, count);
                chunk.limit(count * 4);
                writeFully(out, chunk);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e, e);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** Magic, version 1.0, and the dict padded with spaces so that the data starts at a multiple of 64, as NumPy does. */
    private static byte[] header(ImageStack stack) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + stack.count() + ", " + stack.height()
                + ", " + stack.width() + ", " + stack.bands() + "), }";
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String text = dict + " ".repeat(padding) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        buf.put(text.getBytes(StandardCharsets.ISO_8859_1));
        return buf.array();
    }
}
