package org.jbia.common.array;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * NumPy {@code .npz} archives ({@code np.savez}: stored; {@code np.savez_compressed}: deflated): a
 * zip of {@code .npy} entries, one per array, read by name through {@link java.util.zip}.
 */
public final class Npz {
    private Npz() {
    }

    /**
     * @param arrayName the array ({@code np.savez(file, lenses=a)} names it "lenses"; unnamed ones are
     *                  arr_0, arr_1, ...); null is allowed when the archive holds exactly one
     */
    public static LoadedArray load(Path file, String arrayName, ArrayReadOptions options) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<String> names = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (!entry.isDirectory()) {
                    names.add(entry.getName().endsWith(".npy")
                            ? entry.getName().substring(0, entry.getName().length() - 4) : entry.getName());
                }
            }
            if (names.isEmpty()) {
                throw new ArrayFormatException(file.getFileName() + " is an empty .npz archive: it holds no arrays");
            }
            String name = arrayName;
            if (name == null) {
                if (names.size() > 1) {
                    throw new ArrayFormatException(file.getFileName() + " holds " + names.size() + " arrays "
                            + names + "; name the one to read (--array NAME)");
                }
                name = names.get(0);
            }
            ZipEntry entry = zip.getEntry(name + ".npy");
            if (entry == null) {
                entry = zip.getEntry(name);
            }
            if (entry == null || entry.isDirectory()) {
                throw new ArrayFormatException(file.getFileName() + " has no array '" + name + "'; it holds " + names);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return Npy.load(Channels.newChannel(in), entry.getSize(), name, options);
            } catch (ZipException e) {
                throw new ArrayFormatException("array '" + name + "' in " + file.getFileName()
                        + " cannot be decompressed: " + e.getMessage(), e);
            } catch (java.io.EOFException e) {
                throw new ArrayFormatException("array '" + name + "' in " + file.getFileName()
                        + " is truncated: " + e.getMessage(), e);
            }
        } catch (ZipException e) {
            throw new ArrayFormatException(file.getFileName() + " is not a readable .npz (zip) archive: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }
}
