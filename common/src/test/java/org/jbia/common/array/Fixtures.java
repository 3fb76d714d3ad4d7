package org.jbia.common.array;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The NumPy-written fixtures of src/test/resources/arrays (made by src/test/fixtures/make_fixtures.py). */
final class Fixtures {
    private Fixtures() {
    }

    static Path path(String name) {
        try {
            var url = Fixtures.class.getResource("/arrays/" + name);
            if (url == null) {
                throw new IllegalStateException("fixture " + name + " is missing: run make_fixtures.py");
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** NumPy's float32 conversion of fixture {@code name}, N×H×W×C C order. */
    static float[] expected(String name) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path(name + ".f32"))).order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[b.remaining() / 4];
            b.asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path sharedData(String name) {
        return Path.of(System.getProperty("bia.project.root", "."), "..", "shared", "data", name);
    }

    /** A .npy version 1.0 file with this header dict (padded as NumPy pads) and these data bytes. */
    static byte[] npy(String dict, byte[] data) {
        return npy(1, dict, data);
    }

    static byte[] npy(int major, String dict, byte[] data) {
        int lengthBytes = major == 1 ? 2 : 4;
        int unpadded = 8 + lengthBytes + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) header.length());
        } else {
            b.putInt(header.length());
        }
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return b.array();
    }
}
