package org.jbia.common.array;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import org.jbia.common.schema.JsonCodec;
import org.junit.jupiter.api.Test;

class ArrayStatsTest {

    @Test
    void lensesFiguresMatchNumpy() throws Exception {
        JsonNode numpy = JsonCodec.mapper().readTree(Files.readString(Fixtures.path("shared_digests.json")))
                .get("lenses.npy");
        ArrayStats stats = ArrayStats.of("lenses.npy",
                ArrayFiles.load(Fixtures.sharedData("lenses.npy"), null, ArrayReadOptions.defaults()));
        assertThat(stats.min()).isEqualTo(numpy.get("min").asDouble());
        assertThat(stats.max()).isEqualTo(numpy.get("max").asDouble());
        assertThat(stats.sum()).isCloseTo(numpy.get("sum_float64").asDouble(), within(1e-6));
        assertThat(stats.mean()).isCloseTo(numpy.get("sum_float64").asDouble() / 600_000, within(1e-9));
        assertThat(stats.nonFinite()).isZero();
        assertThat(stats.perBand()).hasSize(3);
        assertThat(stats.perBand().stream().mapToDouble(ArrayStats.Band::sum).sum()).isCloseTo(stats.sum(), within(1e-6));
        assertThat(stats.toText()).contains("shape       (20, 100, 100, 3), read as (N, H, W, C): 20 images of 100x100, 3 bands")
                .contains("dtype       float32").contains("byte order  little").contains("layout      C")
                .contains("non-finite  0").contains("band 2");
    }

    @Test
    void nonFinitePixelsAreCountedApartAndJsonIsSnakeCase() throws Exception {
        ArrayStats stats = ArrayStats.of("bitpix-32.fits",
                ArrayFiles.load(Fixtures.path("bitpix-32.fits"), null, ArrayReadOptions.defaults()));
        float[] expected = Fixtures.expected("bitpix-32");
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        for (float v : expected) {
            if (Float.isFinite(v)) {
                sum += v;
                min = Math.min(min, v);
            }
        }
        assertThat(stats.nonFinite()).isEqualTo(2);
        assertThat(stats.finite()).isEqualTo(18);
        assertThat(stats.sum()).isEqualTo(sum);
        assertThat(stats.min()).isEqualTo(min);
        assertThat(stats.byteOrder()).isEqualTo("big");
        JsonNode json = JsonCodec.mapper().readTree(JsonCodec.encode(stats));
        assertThat(json.get("non_finite").asLong()).isEqualTo(2);
        assertThat(json.get("byte_order").asText()).isEqualTo("big");
        assertThat(json.get("shape").toString()).isEqualTo("[5,4]");
        assertThat(json.get("per_band").get(0).get("non_finite").asLong()).isEqualTo(2);
    }

    @Test
    void anArrayWithNoFinitePixelHasNoMinMaxOrMean() {
        ImageStack nan = new ImageStack(1, 1, 2, 1, new float[] {Float.NaN, Float.NaN});
        ArrayInfo info = new ArrayInfo("npy", null, new long[] {1, 1, 2}, "float32", "little", "C", "(N, H, W)");
        ArrayStats stats = ArrayStats.of("x.npy", new LoadedArray(info, nan));
        assertThat(stats.min()).isNull();
        assertThat(stats.mean()).isNull();
        assertThat(stats.toText()).contains("min         none (no finite pixel)").contains("non-finite  2 (NaN or infinite");
    }
}
