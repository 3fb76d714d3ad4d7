package org.jbia.train.bundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.TrainSpec;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.Preprocessing;

/**
 * A trained model and everything needed to use and reproduce it, as one zip:
 * {@code manifest.json} (format, version, backend), {@code network.json} (the {@link NetworkSpec}),
 * {@code preprocessing.json} (input size, bands, normalisation), {@code train_spec.json},
 * {@code report.json} (history per epoch and evaluation) and {@code model.bin} (the backend's own
 * serialisation: for dl4j a DL4J model zip, for libtorch DJL's encoding of the network's named tensors).
 * The manifest's backend is the one that reads {@code model.bin} back ({@link Predictor}).
 */
public record ModelBundle(String backend, NetworkSpec network, Preprocessing preprocessing, TrainSpec trainSpec,
                          double threshold, String reportJson, byte[] model) {
    public static final String FORMAT = "jbia-model";
    public static final int VERSION = 1;
    static final List<String> ENTRIES = List.of("manifest.json", "network.json", "preprocessing.json",
            "train_spec.json", "report.json", "model.bin");

    public byte[] write() {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", FORMAT);
        manifest.put("version", VERSION);
        manifest.put("backend", backend);
        manifest.put("threshold", threshold);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, "manifest.json", JsonCodec.encodePretty(manifest).getBytes(StandardCharsets.UTF_8));
            put(zip, "network.json", JsonCodec.encodePretty(network).getBytes(StandardCharsets.UTF_8));
            put(zip, "preprocessing.json", JsonCodec.encodePretty(preprocessing).getBytes(StandardCharsets.UTF_8));
            put(zip, "train_spec.json", JsonCodec.encodePretty(trainSpec).getBytes(StandardCharsets.UTF_8));
            put(zip, "report.json", reportJson.getBytes(StandardCharsets.UTF_8));
            put(zip, "model.bin", model);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model bundle", e);
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }

    /**
     * Reads a bundle written by {@link #write()}.
     *
     * @throws IllegalArgumentException naming what is missing or unreadable
     */
    public static ModelBundle read(byte[] zipBytes) {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(zipBytes))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a model bundle (unreadable zip): " + e.getMessage(), e);
        }
        for (String name : ENTRIES) {
            if (!entries.containsKey(name)) {
                throw new IllegalArgumentException("not a model bundle: " + name + " is missing (a bundle holds "
                        + String.join(", ", ENTRIES) + ")");
            }
        }
        Map<?, ?> manifest = JsonCodec.decode(text(entries, "manifest.json"), Map.class);
        if (!FORMAT.equals(manifest.get("format")) || !(manifest.get("version") instanceof Number v)
                || v.intValue() > VERSION) {
            throw new IllegalArgumentException("not a model bundle this version reads: manifest " + manifest
                    + "; expected format " + FORMAT + ", version <= " + VERSION);
        }
        return new ModelBundle(String.valueOf(manifest.get("backend")),
                JsonCodec.decode(text(entries, "network.json"), NetworkSpec.class),
                JsonCodec.decode(text(entries, "preprocessing.json"), Preprocessing.class),
                JsonCodec.decode(text(entries, "train_spec.json"), TrainSpec.class),
                ((Number) manifest.get("threshold")).doubleValue(),
                text(entries, "report.json"), entries.get("model.bin"));
    }

    private static String text(Map<String, byte[]> entries, String name) {
        return new String(entries.get(name), StandardCharsets.UTF_8);
    }
}
