package org.jbia.cli.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jbia.common.array.ArrayFiles;
import org.jbia.common.array.ImageStack;
import org.jbia.common.preview.PreviewGrid;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bia preview}: pyBIA's {@code _plot_positive}/{@code _plot_negative}, as a PNG grid. */
@Command(name = "preview", mixinStandardHelpOptions = true,
        description = "Draw a grid of cutouts as a PNG: one band with robust limits (median - 3 MAD to median + 10 "
                + "MAD, or --vmin/--vmax), or --band all for a g r i colour composite (asinh stretch). From an array "
                + "file, or from a job's data as it was trained on (augmented when the job augmented it).")
public class PreviewCommand implements Callable<Integer> {

    static class Source {
        @Option(names = "--file", description = "An array file (.npy, .npz or FITS).")
        Path file;

        @Option(names = "--job", description = "A job id: preview its data set named by --set.")
        String job;
    }

    @ArgGroup(multiplicity = "1")
    Source source;

    @Option(names = "--set", defaultValue = "positive", description = "With --job: positive, negative, val_positive, "
            + "val_negative, test_positive or test_negative (default positive).")
    String set;

    @Option(names = "--band", defaultValue = "0", description = "Band index, or 'all' for a colour composite (default 0).")
    String band;

    @Option(names = "--first", defaultValue = "0", description = "First image shown (default 0).")
    int first;

    @Option(names = "--count", defaultValue = "16", description = "Images shown (default 16).")
    int count;

    @Option(names = "--step", defaultValue = "1", description = "Show every step-th image (default 1). On an "
            + "augmented set, its batch size + 1 shows one augmentation of each original, a different one each time.")
    int step;

    @Option(names = "--columns", defaultValue = "0", description = "Grid columns (default: a square grid).")
    int columns;

    @Option(names = "--vmin", description = "Lower display limit (default: robust).")
    Double vmin;

    @Option(names = "--vmax", description = "Upper display limit (default: robust).")
    Double vmax;

    @Option(names = "--scale", defaultValue = "2", description = "Screen pixels per image pixel (default 2).")
    int scale;

    @Option(names = {"-o", "--out"}, required = true, description = "The PNG file to write.")
    Path out;

    @Mixin
    StackOptions stack;

    @Override
    public Integer call() {
        byte[] png;
        if (source.file != null) {
            Integer bandIndex = band.equals("all") ? null : parseBand(band);
            ImageStack images = ArrayFiles.read(source.file, null);
            PreviewGrid.Options options = new PreviewGrid.Options(first, count, step, columns, bandIndex, vmin, vmax, scale);
            PreviewGrid.problems(images, options).throwIfAny("preview");
            png = PreviewGrid.png(images, options);
        } else {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("band", band);
            query.put("first", Integer.toString(first));
            query.put("count", Integer.toString(count));
            query.put("step", Integer.toString(step));
            query.put("columns", Integer.toString(columns));
            query.put("scale", Integer.toString(scale));
            if (vmin != null) {
                query.put("vmin", vmin.toString());
            }
            if (vmax != null) {
                query.put("vmax", vmax.toString());
            }
            png = stack.client().preview(source.job, set, query);
        }
        try {
            Files.write(out, png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
        System.out.println("wrote " + out.toAbsolutePath());
        return 0;
    }

    private static int parseBand(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--band " + text + " is not allowed: give a band index (0, 1, ...) or "
                    + "'all' for a colour composite");
        }
    }
}
