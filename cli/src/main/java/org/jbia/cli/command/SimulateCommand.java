package org.jbia.cli.command;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.jbia.cli.simulate.LensSimulator;
import org.jbia.cli.simulate.NonLensKind;
import org.jbia.cli.simulate.Sample;
import org.jbia.cli.simulate.SimulationWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bia simulate}: lenses and other galaxies to train on, for users without a negative class. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulate g r i cutouts (100x100x3, background subtracted): strong lenses (SIE + shear deflecting "
                + "a Sersic source) and non-lenses (ellipticals, ellipticals with blue companions, disks, stars, "
                + "crowded fields). Writes OUT/lenses.npy and OUT/other.npy.")
public class SimulateCommand implements Callable<Integer> {
    @Option(names = "--lenses", defaultValue = "20", description = "Lenses to simulate (default 20).")
    int lenses;

    @Option(names = "--others", defaultValue = "500", description = "Non-lenses to simulate (default 500).")
    int others;

    @Option(names = "--seed", defaultValue = "1909", description = "Seed (default 1909).")
    long seed;

    @Option(names = "--size", defaultValue = "100", description = "Cutout size in pixels (default 100).")
    int size;

    @Option(names = "--kinds", split = ",", paramLabel = "KIND", description = "Only these kinds of non-lens, "
            + "comma-separated, each keeping its share relative to the others (default: all): ${COMPLETION-CANDIDATES}.")
    List<NonLensKind> kinds;

    @Parameters(index = "0", description = "Output directory.")
    Path out;

    @Override
    public Integer call() {
        Sample sample = LensSimulator.simulate(lenses, others, seed, size, Runtime.getRuntime().availableProcessors(),
                kinds == null ? EnumSet.allOf(NonLensKind.class) : EnumSet.copyOf(kinds));
        for (Path written : SimulationWriter.write(sample, out)) {
            System.out.println("wrote " + written);
        }
        return 0;
    }
}
