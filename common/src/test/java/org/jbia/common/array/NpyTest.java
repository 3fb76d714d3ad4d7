package org.jbia.common.array;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.jbia.common.schema.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NpyTest {

    static Stream<String> dtypeFixtures() throws IOException {
        try (Stream<Path> files = Files.list(Fixtures.path("dtype_float32_le_C.npy").getParent())) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("dtype_") && n.endsWith(".npy")).sorted().toList();
            // 12 types; one-byte ones have one byte order: (9 * 2 + 3) * 2 layouts
            assertThat(names).hasSize(42);
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("dtypeFixtures")
    void everyDtypeByteOrderAndLayoutMatchesNumpysFloat32Conversion(String name) {
        LoadedArray loaded = Npy.load(Fixtures.path(name), ArrayReadOptions.defaults());
        String stem = name.substring(0, name.length() - 4);
        assertThat(loaded.stack().shape()).containsExactly(2, 3, 4, 2);
        assertBitExact(loaded.stack().pixels(), Fixtures.expected(stem));
        assertThat(loaded.info().layout()).isEqualTo(stem.endsWith("_F") ? "Fortran" : "C");
        assertThat(loaded.info().dtype()).isEqualTo(stem.split("_")[1]);
        assertThat(loaded.info().byteOrder()).isEqualTo(stem.contains("_le_") ? "little"
                : stem.contains("_be_") ? "big" : "not applicable");
    }

    @ParameterizedTest
    @ValueSource(strings = {"C", "F"})
    void rank3IsAStackOfOneBandImagesUnlessOneImageIsAskedFor(String order) {
        ImageStack stack = Npy.read(Fixtures.path("rank3_nhw_" + order + ".npy"));
        assertThat(stack.shape()).containsExactly(2, 3, 5, 1);
        assertBitExact(stack.pixels(), Fixtures.expected("rank3_nhw"));

        ArrayReadOptions oneImage = ArrayReadOptions.defaults().withRank3(ArrayReadOptions.Rank3Layout.IMAGE);
        ImageStack image = Npy.read(Fixtures.path("rank3_hwc_" + order + ".npy"), oneImage);
        assertThat(image.shape()).containsExactly(1, 3, 5, 4);
        assertBitExact(image.pixels(), Fixtures.expected("rank3_hwc"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"C", "F"})
    void rank2IsOneOneBandImage(String order) {
        ImageStack stack = Npy.read(Fixtures.path("rank2_hw_" + order + ".npy"));
        assertThat(stack.shape()).containsExactly(1, 3, 5, 1);
        assertBitExact(stack.pixels(), Fixtures.expected("rank2_hw"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void readsFormatVersions1To3(int version) {
        ImageStack stack = Npy.read(Fixtures.path("version_" + version + ".npy"));
        assertThat(stack.shape()).containsExactly(1, 4, 3, 2);
        assertBitExact(stack.pixels(), Fixtures.expected("version"));
    }

    @Test
    void readsAStackOfNoImages() {
        assertThat(Npy.read(Fixtures.path("empty_stack.npy")).shape()).containsExactly(0, 4, 4, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenses.npy", "confirmed_LAB.npy"})
    void sharedDataMatchesNumpyToTheLastBit(String name) throws Exception {
        JsonNode digest = JsonCodec.mapper().readTree(Files.readString(Fixtures.path("shared_digests.json"))).get(name);
        LoadedArray loaded = Npy.load(Fixtures.sharedData(name), ArrayReadOptions.defaults());
        int[] shape = JsonCodec.mapper().convertValue(digest.get("shape"), int[].class);
        assertThat(loaded.stack().shape()).containsExactly(shape);
        assertThat(loaded.info().dtype()).isEqualTo(digest.get("dtype").asText());
        ByteBuffer bytes = ByteBuffer.allocate(loaded.stack().pixels().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(loaded.stack().pixels());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        assertThat(sha).isEqualTo(digest.get("sha256_float32_le").asText());
    }

    @Test
    void writesTheSameBytesAsNumpyForFloat32() throws IOException {
        // dtype_float32_le_C.npy was written by numpy.save: writing the same values must give the same file.
        Path numpyFile = Fixtures.path("dtype_float32_le_C.npy");
        ImageStack stack = Npy.read(numpyFile);
        assertThat(Npy.write(stack)).isEqualTo(Files.readAllBytes(numpyFile));
    }

    @Test
    void writeToPathAndReadBackKeepsEveryBit(@TempDir Path dir) {
        float[] px = new float[3 * 70 * 70 * 2 * 10];
        for (int i = 0; i < px.length; i++) {
            px[i] = Float.intBitsToFloat(i * 2654435761L > 0 ? (int) (i * 2654435761L) : i);
        }
        ImageStack stack = new ImageStack(30, 70, 70, 2, px);
        Path file = dir.resolve("out.npy");
        Npy.write(stack, file);
        ImageStack back = Npy.read(file);
        assertThat(back.shape()).containsExactly(30, 70, 70, 2);
        assertBitExact(back.pixels(), px);
        assertThat(Npy.read(Npy.write(stack))).isEqualTo(back);
    }

    // ---- refused files: each message names the problem ----

    @Test
    void refusesObjectArraysWithoutUnpickling() {
        assertThatThrownBy(() -> Npy.read(Fixtures.path("object.npy")))
                .isInstanceOf(ArrayFormatException.class)
                .hasMessageContaining("'|O'").hasMessageContaining("object array").hasMessageContaining("never loads");
    }

    @ParameterizedTest
    @ValueSource(strings = {"complex.npy", "unicode.npy"})
    void refusesNonNumericDtypesNamingThem(String name) {
        assertThatThrownBy(() -> Npy.read(Fixtures.path(name)))
                .isInstanceOf(ArrayFormatException.class)
                .hasMessageMatching("dtype '[<>|][cU]\\d+' is not a supported image type; supported: float16, .*");
    }

    @Test
    void refusesStructuredDtypes() {
        assertThatThrownBy(() -> Npy.read(Fixtures.path("structured.npy")))
                .isInstanceOf(ArrayFormatException.class)
                .hasMessageContaining("structured (record) dtype").hasMessageContaining("flux");
    }

    @Test
    void refusesRank1NamingTheShapesAllowed() {
        assertThatThrownBy(() -> Npy.read(Fixtures.path("rank1.npy")))
                .isInstanceOf(ArrayFormatException.class)
                .hasMessageContaining("shape (5,) is not an image array")
                .hasMessageContaining("(N, H, W, C)");
    }

    @Test
    void refusesAnEmptyFile(@TempDir Path dir) throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.npy"));
        assertThatThrownBy(() -> Npy.read(empty)).isInstanceOf(ArrayFormatException.class)
                .hasMessageContaining("empty file: 0 bytes");
        assertThatThrownBy(() -> Npy.read(new byte[0])).hasMessageContaining("empty file");
    }

    @Test
    void refusesBadMagic() {
        byte[] bytes = Fixtures.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 1), }", new byte[4]);
        bytes[1] = 'X';
        assertThatThrownBy(() -> Npy.read(bytes)).isInstanceOf(ArrayFormatException.class)
                .hasMessageContaining("not a .npy file").hasMessageContaining("magic string");
        assertThatThrownBy(() -> Npy.read("hello".getBytes())).hasMessageContaining("not a .npy file");
    }

    @Test
    void refusesUnknownFormatVersions() {
        byte[] bytes = Fixtures.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 1), }", new byte[4]);
        bytes[6] = 4;
        assertThatThrownBy(() -> Npy.read(bytes)).isInstanceOf(ArrayFormatException.class)
                .hasMessageContaining("version 4.0 is not supported; versions 1.0, 2.0 and 3.0 are");
    }

    @Test
    void refusesTruncatedData() throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.path("dtype_float64_le_C.npy"));
        byte[] cut = Arrays.copyOf(whole, whole.length - 5);
        assertThatThrownBy(() -> Npy.read(cut)).isInstanceOf(ArrayFormatException.class)
                .hasMessage("truncated .npy file: shape (2, 3, 4, 2) of float64 needs 384 data bytes, the file has 379");
    }

    @Test
    void refusesAFileCutInsideTheHeader() throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.path("version_2.npy"));
        assertThatThrownBy(() -> Npy.read(Arrays.copyOf(whole, 40))).isInstanceOf(ArrayFormatException.class)
                .hasMessageContaining("truncated .npy file: the header of").hasMessageContaining("40-byte file");
        assertThatThrownBy(() -> Npy.read(Arrays.copyOf(whole, 7))).hasMessageContaining("inside the format version");
        assertThatThrownBy(() -> Npy.read(Arrays.copyOf(whole, 10))).hasMessageContaining("inside the header length");
    }

    @Test
    void refusesAShapeThatDoesNotMatchTheData() {
        byte[] bytes = Fixtures.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 2, 1), }", new byte[20]);
        assertThatThrownBy(() -> Npy.read(bytes)).isInstanceOf(ArrayFormatException.class)
                .hasMessage("the header's shape (1, 2, 2, 1) does not match the data: float32 needs 16 bytes, "
                        + "the file has 20");
    }

    @Test
    void refusesAHugeClaimWithoutAllocating() {
        // 10^12 elements: past the limit, refused before any allocation (the test would die of OOM otherwise).
        byte[] huge = Fixtures.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000, 1000, 1), }",
                new byte[16]);
        long start = System.nanoTime();
        assertThatThrownBy(() -> Npy.read(huge)).isInstanceOf(ArrayFormatException.class)
                .hasMessage("shape (1000000, 1000, 1000, 1) holds 1000000000000 elements, more than the limit of "
                        + ArrayReadOptions.DEFAULT_MAX_ELEMENTS + " (ArrayReadOptions.maxElements)");
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
        // 10^9 elements is under the limit: the file size is checked before the 4 GB array would be made.
        byte[] large = Fixtures.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 1000, 1000, 1), }",
                new byte[16]);
        assertThatThrownBy(() -> Npy.read(large)).hasMessageContaining("truncated .npy file")
                .hasMessageContaining("needs 4000000000 data bytes, the file has 16");
    }

    @Test
    void theElementLimitIsConfigurable() {
        byte[] bytes = Fixtures.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 2, 1), }", new byte[32]);
        assertThat(Npy.read(bytes, ArrayReadOptions.defaults().withMaxElements(8)).count()).isEqualTo(2);
        assertThatThrownBy(() -> Npy.read(bytes, ArrayReadOptions.defaults().withMaxElements(7)))
                .hasMessageContaining("holds 8 elements, more than the limit of 7");
    }

    @Test
    void refusesAShapeWhoseSizeOverflows() {
        byte[] bytes = Fixtures.npy("{'descr': '<f4', 'fortran_order': False, "
                + "'shape': (4294967296, 4294967296, 1, 1), }", new byte[4]);
        assertThatThrownBy(() -> Npy.read(bytes)).isInstanceOf(ArrayFormatException.class)
                .hasMessageContaining("shape (4294967296, 4294967296, 1, 1) has more elements than a 64-bit count");
    }

    @Test
    void refusesMalformedHeaders() {
        assertThatThrownBy(() -> Npy.read(Fixtures.npy("{'descr': '<f4', 'shape': (1, 1, 1, 1), }", new byte[4])))
                .isInstanceOf(ArrayFormatException.class).hasMessageContaining("no 'fortran_order' entry");
        assertThatThrownBy(() -> Npy.read(Fixtures.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, -1), }",
                new byte[4]))).hasMessageContaining("must hold integers >= 0");
        assertThatThrownBy(() -> Npy.read(Fixtures.npy("{'descr': '<f4', 'fortran_order': False, "
                + "'shape': __import__('os'), }", new byte[4]))).hasMessageContaining("malformed .npy header: unexpected '_'");
        assertThatThrownBy(() -> Npy.read(Fixtures.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 0, 2), }",
                new byte[0]))).hasMessageContaining("has an empty height, width or band axis");
    }

    @Test
    void refusesAnAbsurdHeaderLength() {
        byte[] bytes = Fixtures.npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 1), }", new byte[4]);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0x7fff0000);
        assertThatThrownBy(() -> Npy.read(bytes)).isInstanceOf(ArrayFormatException.class)
                .hasMessageContaining("header length 2147418112 bytes is more than the 1048576 allowed");
    }

    @Test
    void convertsHalvesAndUnsignedLongsExactly() {
        assertThat(ElementType.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(ElementType.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(ElementType.halfToFloat((short) 0x8000)).isEqualTo(-0f);
        assertThat(ElementType.halfToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(ElementType.unsignedLongToFloat(-1L)).isEqualTo(0x1p64f);
        // 2^63 + 2^39 + 1 lies just above the midpoint between two floats: it must round up.
        assertThat(ElementType.unsignedLongToFloat(Long.MIN_VALUE + (1L << 39) + 1)).isEqualTo(0x1p63f + 0x1p40f);
    }

    static void assertBitExact(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(actual[i]) != Float.floatToIntBits(expected[i])) {
                throw new AssertionError("pixel " + i + ": read " + actual[i] + " (0x"
                        + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + "), NumPy gives " + expected[i]
                        + " (0x" + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + ")");
            }
        }
    }
}
