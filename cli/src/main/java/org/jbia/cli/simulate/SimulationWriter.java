package org.jbia.cli.simulate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jbia.common.array.Npy;

/** Writes a simulated {@link Sample} as pyBIA's lens example has it: {@code lenses.npy} and {@code other.npy}. */
public final class SimulationWriter {
    public static final String LENSES_FILE = "lenses.npy";
    public static final String OTHERS_FILE = "other.npy";

    private SimulationWriter() {
    }

    /**
     * Writes both arrays (float32, shape (N, H, W, 3)) into {@code outDir}, creating it if needed.
     *
     * @return the two files written, lenses first
     */
    public static List<Path> write(Sample sample, Path outDir) {
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the output directory " + outDir + ": " + e.getMessage(), e);
        }
        Path lenses = outDir.resolve(LENSES_FILE);
        Path others = outDir.resolve(OTHERS_FILE);
        Npy.write(sample.lenses(), lenses);
        Npy.write(sample.others(), others);
        return List.of(lenses, others);
    }
}
