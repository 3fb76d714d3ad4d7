package org.jbia.cli.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The data sets of a job or a study, as {@code bia train} and {@code bia optimize} take them. */
public class DataOptions {

    @Option(names = "--positive", required = true, description = "Positive class (.npy, N x H x W [x C]).")
    Path positive;

    @Option(names = "--negative", required = true, description = "Negative class (.npy).")
    Path negative;

    @Option(names = "--val-positive", description = "Validation positives (.npy).")
    Path valPositive;

    @Option(names = "--val-negative", description = "Validation negatives (.npy).")
    Path valNegative;

    @Option(names = "--test-positive", description = "Test positives, evaluated on each trained model (.npy).")
    Path testPositive;

    @Option(names = "--test-negative", description = "Test negatives (.npy).")
    Path testNegative;

    /** The files given, by the API's field names; a path that is not a file is refused naming its option. */
    Map<String, Path> arrays() {
        Map<String, Path> arrays = new LinkedHashMap<>();
        put(arrays, "positive", positive);
        put(arrays, "negative", negative);
        put(arrays, "val_positive", valPositive);
        put(arrays, "val_negative", valNegative);
        put(arrays, "test_positive", testPositive);
        put(arrays, "test_negative", testNegative);
        return arrays;
    }

    private static void put(Map<String, Path> arrays, String field, Path file) {
        if (file == null) {
            return;
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--" + field.replace('_', '-') + " " + file + ": no such file");
        }
        arrays.put(field, file);
    }
}
