package org.jbia.common.array;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jbia.common.array.NpyTest.assertBitExact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import nom.tam.fits.Fits;
import nom.tam.fits.ImageHDU;
import nom.tam.fits.header.Compression;
import nom.tam.image.compression.hdu.CompressedImageHDU;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArrayFilesTest {

    // ---- .npz ----

    @ParameterizedTest
    @ValueSource(strings = {"stored.npz", "deflated.npz"})
    void readsNpzArraysByName(String name) {
        LoadedArray lenses = ArrayFiles.load(Fixtures.path(name), "lenses", ArrayReadOptions.defaults());
        assertThat(lenses.info().format()).isEqualTo("npz");
        assertThat(lenses.info().arrayName()).isEqualTo("lenses");
        assertThat(lenses.stack().shape()).containsExactly(2, 3, 4, 2);
        assertBitExact(lenses.stack().pixels(), Fixtures.expected("npz_lenses"));
        ImageStack others = ArrayFiles.read(Fixtures.path(name), "others");
        assertThat(others.shape()).containsExactly(2, 3, 5, 1);
        assertBitExact(others.pixels(), Fixtures.expected("npz_others"));
    }

    @Test
    void readsTheOnlyArrayOfAnNpzWithoutAName() {
        LoadedArray only = ArrayFiles.load(Fixtures.path("single.npz"), null, ArrayReadOptions.defaults());
        assertThat(only.info().arrayName()).isEqualTo("arr_0");
        assertBitExact(only.stack().pixels(), Fixtures.expected("npz_lenses"));
    }

    @Test
    void npzErrorsNameTheArraysItHolds() {
        assertThatThrownBy(() -> ArrayFiles.read(Fixtures.path("stored.npz"), null))
                .isInstanceOf(ArrayFormatException.class)
                .hasMessage("stored.npz holds 2 arrays [lenses, others]; name the one to read (--array NAME)");
        assertThatThrownBy(() -> ArrayFiles.read(Fixtures.path("deflated.npz"), "galaxies"))
                .isInstanceOf(ArrayFormatException.class)
                .hasMessage("deflated.npz has no array 'galaxies'; it holds [lenses, others]");
    }

    @Test
    void refusesADamagedNpz(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.path("deflated.npz"));
        Path cut = Files.write(dir.resolve("cut.npz"), Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> ArrayFiles.read(cut, "lenses")).isInstanceOf(ArrayFormatException.class)
                .hasMessageContaining("cut.npz is not a readable .npz (zip) archive");
    }

    @Test
    void refusesAnNpzEntryWhoseDataIsShort(@TempDir Path dir) throws IOException {
        byte[] npy = Files.readAllBytes(Fixtures.path("dtype_float32_le_C.npy"));
        Path file = dir.resolve("short.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("x.npy"));
            zip.write(npy, 0, npy.length - 8);
            zip.closeEntry();
        }
        assertThatThrownBy(() -> ArrayFiles.read(file, "x")).isInstanceOf(ArrayFormatException.class)
                .hasMessageContaining("truncated .npy file: shape (2, 3, 4, 2) of float32 needs 192 data bytes");
    }

    // ---- FITS ----

    @ParameterizedTest
    @ValueSource(strings = {"bitpix8", "bitpix16", "bitpix16_unsigned", "bitpix16_scaled", "bitpix32", "bitpix64",
            "bitpix-32", "bitpix-64"})
    void readsEveryBitpixWithScalingLikeNumpy(String name) {
        LoadedArray loaded = ArrayFiles.load(Fixtures.path(name + ".fits"), null, ArrayReadOptions.defaults());
        assertThat(loaded.stack().shape()).containsExactly(1, 5, 4, 1);
        assertBitExact(loaded.stack().pixels(), Fixtures.expected(name));
        assertThat(loaded.info().format()).isEqualTo("fits");
        assertThat(loaded.info().shape()).containsExactly(5, 4);
    }

    @Test
    void scaledFitsSaysSoAndTurnsBlankIntoNan() {
        LoadedArray loaded = ArrayFiles.load(Fixtures.path("bitpix16_scaled.fits"), null, ArrayReadOptions.defaults());
        assertThat(loaded.info().dtype()).isEqualTo("int16 scaled by BSCALE=0.25, BZERO=1000.5");
        float[] expected = Fixtures.expected("bitpix16_scaled");
        assertThat(expected).as("the fixture has BLANK pixels").contains(Float.NaN);
    }

    @Test
    void aCubeIsOneImageOfBandsOrAStackWhenAskedFor() {
        ImageStack bands = ArrayFiles.read(Fixtures.path("cube.fits"), null);
        assertThat(bands.shape()).containsExactly(1, 5, 4, 3);
        assertBitExact(bands.pixels(), Fixtures.expected("cube_bands"));
        ImageStack stack = ArrayFiles.read(Fixtures.path("cube.fits"), null,
                ArrayReadOptions.defaults().withRank3(ArrayReadOptions.Rank3Layout.STACK));
        assertThat(stack.shape()).containsExactly(3, 5, 4, 1);
        assertBitExact(stack.pixels(), Fixtures.expected("cube_stack"));
    }

    @Test
    void fourAxesAreImagesOfBands() {
        ImageStack stack = ArrayFiles.read(Fixtures.path("images4d.fits"), null);
        assertThat(stack.shape()).containsExactly(2, 5, 4, 3);
        assertBitExact(stack.pixels(), Fixtures.expected("images4d"));
    }

    @Test
    void picksTheFirstImageHduOrTheOneNamed() {
        LoadedArray first = ArrayFiles.load(Fixtures.path("extensions.fits"), null, ArrayReadOptions.defaults());
        assertThat(first.info().arrayName()).isEqualTo("SCI");
        assertBitExact(first.stack().pixels(), Fixtures.expected("extensions_sci"));
        assertBitExact(ArrayFiles.read(Fixtures.path("extensions.fits"), "err").pixels(),
                Fixtures.expected("extensions_err"));
        assertBitExact(ArrayFiles.read(Fixtures.path("extensions.fits"), "2").pixels(),
                Fixtures.expected("extensions_err"));
        assertThatThrownBy(() -> ArrayFiles.read(Fixtures.path("extensions.fits"), "DQ"))
                .isInstanceOf(ArrayFormatException.class)
                .hasMessage("extensions.fits has no image HDU named 'DQ'; its HDUs are [0 no data, 1 (SCI) image, "
                        + "2 (ERR) image]");
    }

    @Test
    void readsTileCompressedFits(@TempDir Path dir) throws Exception {
        float[][] plane = new float[6][8];
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 8; x++) {
                plane[y][x] = y * 100 + x - 0.5f;
            }
        }
        Path file = dir.resolve("image.fits.fz");
        try (Fits fits = new Fits()) {
            fits.addHDU(Fits.makeHDU((Object) new int[0]));
            CompressedImageHDU compressed = CompressedImageHDU.fromImageHDU((ImageHDU) Fits.makeHDU(plane), 8, 2)
                    .setCompressAlgorithm(Compression.ZCMPTYPE_GZIP_1);
            compressed.compress();
            fits.addHDU(compressed);
            fits.write(file.toFile());
        }
        LoadedArray loaded = ArrayFiles.load(file, null, ArrayReadOptions.defaults());
        assertThat(loaded.info().layout()).contains("tile-compressed");
        assertThat(loaded.stack().shape()).containsExactly(1, 6, 8, 1);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 8; x++) {
                assertThat(loaded.stack().get(0, y, x, 0)).isEqualTo(plane[y][x]);
            }
        }
    }

    @Test
    void refusesTruncatedFits() {
        assertThatThrownBy(() -> ArrayFiles.read(Fixtures.path("truncated.fits"), null))
                .isInstanceOf(ArrayFormatException.class)
                .hasMessage("truncated FITS file: HDU 0 of shape (3, 5, 4) (BITPIX -32) needs 3120 bytes, "
                        + "the file has 2980");
    }

    @Test
    void refusesFitsWithoutAnImage() {
        assertThatThrownBy(() -> ArrayFiles.read(Fixtures.path("spectrum.fits"), null))
                .isInstanceOf(ArrayFormatException.class)
                .hasMessageContaining("FITS shape (7,) (NAXIS = 1) is not an image: expected NAXIS 2");
        assertThatThrownBy(() -> ArrayFiles.read(Fixtures.path("header_only.fits"), null))
                .isInstanceOf(ArrayFormatException.class)
                .hasMessage("header_only.fits holds no image; its HDUs are [0 no data]");
    }

    @Test
    void refusesFitsPastTheElementLimit() {
        assertThatThrownBy(() -> ArrayFiles.read(Fixtures.path("cube.fits"), null,
                ArrayReadOptions.defaults().withMaxElements(59)))
                .isInstanceOf(ArrayFormatException.class)
                .hasMessageContaining("shape (3, 5, 4) holds 60 elements, more than the limit of 59");
    }

    // ---- dispatch ----

    @Test
    void tellsTheFormatByContentNotName(@TempDir Path dir) throws IOException {
        Path misnamed = Files.copy(Fixtures.path("cube.fits"), dir.resolve("cube.npy"));
        assertThat(ArrayFiles.detect(misnamed)).isEqualTo(ArrayFiles.Format.FITS);
        assertThat(ArrayFiles.read(misnamed, null).shape()).containsExactly(1, 5, 4, 3);
        assertThat(ArrayFiles.detect(Fixtures.path("stored.npz"))).isEqualTo(ArrayFiles.Format.NPZ);
        assertThat(ArrayFiles.detect(Fixtures.path("version_3.npy"))).isEqualTo(ArrayFiles.Format.NPY);
    }

    @Test
    void refusesUnknownAndEmptyFiles(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("notes.fits"), "hello");
        assertThatThrownBy(() -> ArrayFiles.read(text, null)).isInstanceOf(ArrayFormatException.class)
                .hasMessage("notes.fits is not a FITS file: it does not start with 'SIMPLE  ='");
        Path csv = Files.writeString(dir.resolve("table.csv"), "a,b\n1,2\n");
        assertThatThrownBy(() -> ArrayFiles.read(csv, null))
                .hasMessage("table.csv is not a .npy, .npz or FITS file (by content)");
        Path empty = Files.createFile(dir.resolve("empty.npz"));
        assertThatThrownBy(() -> ArrayFiles.read(empty, null)).hasMessage("empty file: empty.npz has 0 bytes");
    }

    @Test
    void refusesAnArrayNameForAPlainNpy() {
        assertThatThrownBy(() -> ArrayFiles.read(Fixtures.path("version_1.npy"), "lenses"))
                .isInstanceOf(ArrayFormatException.class)
                .hasMessageContaining("array name 'lenses' given, but version_1.npy is a plain .npy");
    }
}
