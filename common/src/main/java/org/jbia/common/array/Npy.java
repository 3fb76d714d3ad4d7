package org.jbia.common.array;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} reading and writing. This first cut reads float32 little-endian C-order
 * arrays of rank 3 (one band) or 4 and writes float32; the full dtype and layout support lives
 * in the array-format work.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    public static ImageStack read(Path file) {
        try {
            return read(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static ImageStack read(byte[] bytes) {
        if (bytes.length < 10) {
            throw new ArrayFormatException("not a .npy file: " + bytes.length + " bytes is shorter than the .npy header");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new ArrayFormatException("not a .npy file: the magic string \\x93NUMPY is missing");
            }
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(buf.getShort(8));
            headerStart = 10;
        } else {
            headerLength = buf.getInt(8);
            headerStart = 12;
        }
        if (headerStart + headerLength > bytes.length) {
            throw new ArrayFormatException("truncated .npy file: header of " + headerLength + " bytes runs past the end");
        }
        String header = new String(bytes, headerStart, headerLength, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, "descr");
        if (!descr.equals("<f4")) {
            throw new ArrayFormatException("dtype '" + descr + "' is not supported here; expected float32 ('<f4')");
        }
        if (group(ORDER, header, "fortran_order").equals("True")) {
            throw new ArrayFormatException("Fortran-order arrays are not supported here");
        }
        String[] parts = group(SHAPE, header, "shape").split(",");
        long[] dims = new long[parts.length];
        int rank = 0;
        for (String p : parts) {
            if (!p.isBlank()) {
                dims[rank++] = Long.parseLong(p.strip());
            }
        }
        long[] shape = java.util.Arrays.copyOf(dims, rank);
        if (rank != 3 && rank != 4) {
            throw new ArrayFormatException("shape " + java.util.Arrays.toString(shape)
                    + " is not an image stack: expected (N, H, W) or (N, H, W, C)");
        }
        long n = shape[0];
        long h = shape[1];
        long w = shape[2];
        long c = rank == 4 ? shape[3] : 1;
        long elements = n * h * w * c;
        int dataStart = headerStart + headerLength;
        if (elements * 4 != bytes.length - dataStart) {
            throw new ArrayFormatException("truncated .npy file: shape " + java.util.Arrays.toString(shape) + " needs "
                    + elements * 4 + " data bytes, found " + (bytes.length - dataStart));
        }
        float[] pixels = new float[(int) elements];
        buf.position(dataStart);
        buf.asFloatBuffer().get(pixels);
        return new ImageStack((int) n, (int) h, (int) w, (int) c, pixels);
    }

    private static String group(Pattern pattern, String header, String key) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new ArrayFormatException("malformed .npy header: no '" + key + "' entry in " + header.strip());
        }
        return m.group(1);
    }

    /** Float32 little-endian C-order {@code .npy}, version 1.0, shape (N, H, W, C). */
    public static byte[] write(ImageStack stack) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + stack.count() + ", " + stack.height()
                + ", " + stack.width() + ", " + stack.bands() + "), }";
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + stack.pixels().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buf.put(header.getBytes(StandardCharsets.ISO_8859_1));
        buf.asFloatBuffer().put(stack.pixels());
        return buf.array();
    }

    public static void write(ImageStack stack, Path file) {
        try {
            Files.write(file, write(stack));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
