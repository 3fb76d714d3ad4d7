package org.jbia.cli.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jbia.cli.stack.ProjectHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code bia bench}: a service's benchmark, run in that service's own packaged classpath so it
 * measures exactly what the service runs.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure a part of jBIA on random data:",
                "  bia bench augment --images N --threads T   (last line: augment: X images/s)",
                "  bia bench train --arch A --size S --images N --epochs E --threads T   "
                        + "(last line: train: X images/s, infer: Y images/s)",
                "  bia bench tpe --function branin|hartmann6|mixed --trials T --seeds S",
                "Side-by-side comparisons with the Python peers: bench/*/bench.sh."})
public class BenchCommand implements Callable<Integer> {
    private static final java.util.Map<String, String[]> TARGETS = java.util.Map.of(
            "augment", new String[] {"augment-service", "org.jbia.augment.bench.AugmentBench"},
            "train", new String[] {"train-service", "org.jbia.train.bench.TrainBench"},
            "tpe", new String[] {"optimize-service", "org.jbia.optimize.bench.TpeBench"});

    @Parameters(index = "0", description = "augment, train or tpe.")
    String what;

    @Unmatched
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        String[] target = TARGETS.get(what);
        if (target == null) {
            throw new IllegalArgumentException("bench " + what + " is not known: expected augment, train or tpe");
        }
        Path app = ProjectHome.serviceJar(ProjectHome.find(), target[0]).getParent();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx4g", "-Djava.awt.headless=true", "-cp", classpath(app), target[1]));
        command.addAll(arguments);
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    /** The Quarkus fast-jar layout: the app's classes in app/, its libraries in lib/main/. */
    private static String classpath(Path app) {
        List<String> entries = new ArrayList<>();
        try (var files = Files.list(app.resolve("app"))) {
            files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(f -> entries.add(f.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + app.resolve("app") + ": " + e.getMessage(), e);
        }
        entries.add(app.resolve("lib/main").toString() + "/*");
        return String.join(java.io.File.pathSeparator, entries);
    }
}
