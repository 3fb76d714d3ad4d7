package org.jbia.common.array;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads any image array file jBIA accepts: {@code .npy}, {@code .npz}, FITS ({@code .fits},
 * {@code .fit}, {@code .fts}, tile-compressed {@code .fz}). The format is told by the file's first
 * bytes (the magic \x93NUMPY, a zip header, or FITS' {@code SIMPLE  =}), so a misnamed file still
 * reads; the name only helps to word the error when the content is none of these.
 */
public final class ArrayFiles {
    private ArrayFiles() {
    }

    /** Format of a file, from its content. */
    public enum Format { NPY, NPZ, FITS }

    /**
     * @param arrayName for {@code .npz} the array's name, for FITS the HDU's EXTNAME or index; null
     *                  for the only array / the first image. Must be null for a plain {@code .npy}.
     */
    public static ImageStack read(Path file, String arrayName) {
        return load(file, arrayName, ArrayReadOptions.defaults()).stack();
    }

    public static ImageStack read(Path file, String arrayName, ArrayReadOptions options) {
        return load(file, arrayName, options).stack();
    }

    /** Reads a file, with what it held as stored (for {@code bia inspect}). */
    public static LoadedArray load(Path file, String arrayName, ArrayReadOptions options) {
        Format format = detect(file);
        return switch (format) {
            case NPY -> {
                if (arrayName != null) {
                    throw new ArrayFormatException("array name '" + arrayName + "' given, but " + file.getFileName()
                            + " is a plain .npy holding one array; names select arrays in .npz and HDUs in FITS files");
                }
                yield Npy.load(file, options);
            }
            case NPZ -> Npz.load(file, arrayName, options);
            case FITS -> FitsImages.load(file, arrayName, options);
        };
    }

    /** Tells the format from the first bytes; refuses empty and unrecognised files. */
    public static Format detect(Path file) {
        byte[] head = new byte[9];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
        if (n == 0) {
            throw new ArrayFormatException("empty file: " + file.getFileName() + " has 0 bytes");
        }
        if (startsWith(head, n, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'})) {
            return Format.NPY;
        }
        // Local file header, or the end record of an empty archive.
        if (startsWith(head, n, new byte[] {'P', 'K', 3, 4}) || startsWith(head, n, new byte[] {'P', 'K', 5, 6})) {
            return Format.NPZ;
        }
        if (startsWith(head, n, "SIMPLE  =".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            return Format.FITS;
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String expected = name.endsWith(".npy") ? "a .npy file: it does not start with the magic string \\x93NUMPY"
                : name.endsWith(".npz") ? "a .npz archive: it does not start with a zip header"
                : name.matches(".*\\.(fits|fit|fts|fz)$") ? "a FITS file: it does not start with 'SIMPLE  ='"
                : "a .npy, .npz or FITS file (by content)";
        throw new ArrayFormatException(file.getFileName() + " is not " + expected);
    }

    private static boolean startsWith(byte[] head, int n, byte[] prefix) {
        if (n < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (head[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
