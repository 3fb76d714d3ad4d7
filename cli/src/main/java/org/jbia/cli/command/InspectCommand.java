package org.jbia.cli.command;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jbia.common.array.ArrayFiles;
import org.jbia.common.array.ArrayReadOptions;
import org.jbia.common.array.ArrayStats;
import org.jbia.common.schema.JsonCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bia inspect}: what an array file holds, before it is trained on. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Describe an array file (.npy, .npz or FITS): shape, dtype, byte order, layout, min, max, mean, "
                + "sum and the count of non-finite pixels, overall and per band. Exits non-zero, with the reason, for "
                + "a file that cannot be read.")
public class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "The file.")
    Path file;

    @Option(names = "--array", description = "The array to read from an .npz archive.")
    String array;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        ArrayStats stats = ArrayStats.of(file.toString(), ArrayFiles.load(file, array, ArrayReadOptions.defaults()));
        System.out.println(json ? JsonCodec.encode(stats) : stats.toText());
        return 0;
    }
}
