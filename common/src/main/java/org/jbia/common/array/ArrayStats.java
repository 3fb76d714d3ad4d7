package org.jbia.common.array;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code bia inspect} reports of an array file: the stored shape, type, byte order and layout,
 * and min, max, mean and sum (float64) of the pixels as jBIA uses them (after conversion to
 * float32), over finite pixels only; NaN and infinite ones are counted apart. The same figures per
 * band help to choose {@code max_pixel}. Min, max and mean are null when no pixel is finite.
 * Encodes to snake_case JSON through {@code JsonCodec}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ArrayStats(String file, String format, String arrayName, long[] shape, String dtype, String byteOrder,
                         String layout, String readAs, int images, int height, int width, int bands,
                         Double min, Double max, Double mean, double sum, long finite, long nonFinite,
                         List<Band> perBand) {

    /** Figures of one band. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Band(int band, Double min, Double max, Double mean, double sum, long nonFinite) {
    }

    public static ArrayStats of(String file, LoadedArray array) {
        ImageStack s = array.stack();
        int bands = s.bands();
        double[] min = new double[bands];
        double[] max = new double[bands];
        double[] sum = new double[bands];
        long[] finite = new long[bands];
        long[] nonFinite = new long[bands];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        float[] px = s.pixels();
        for (int i = 0; i < px.length; i += bands) {
            for (int b = 0; b < bands; b++) {
                float v = px[i + b];
                if (Float.isFinite(v)) {
                    finite[b]++;
                    sum[b] += v;
                    min[b] = Math.min(min[b], v);
                    max[b] = Math.max(max[b], v);
                } else {
                    nonFinite[b]++;
                }
            }
        }
        List<Band> perBand = new ArrayList<>();
        double allMin = Double.POSITIVE_INFINITY;
        double allMax = Double.NEGATIVE_INFINITY;
        double allSum = 0;
        long allFinite = 0;
        long allNonFinite = 0;
        for (int b = 0; b < bands; b++) {
            boolean any = finite[b] > 0;
            perBand.add(new Band(b, any ? min[b] : null, any ? max[b] : null, any ? sum[b] / finite[b] : null, sum[b],
                    nonFinite[b]));
            allMin = Math.min(allMin, min[b]);
            allMax = Math.max(allMax, max[b]);
            allSum += sum[b];
            allFinite += finite[b];
            allNonFinite += nonFinite[b];
        }
        boolean any = allFinite > 0;
        ArrayInfo info = array.info();
        return new ArrayStats(file, info.format(), info.arrayName(), info.shape(), info.dtype(), info.byteOrder(),
                info.layout(), info.readAs(), s.count(), s.height(), s.width(), bands, any ? allMin : null,
                any ? allMax : null, any ? allSum / allFinite : null, allSum, allFinite, allNonFinite,
                List.copyOf(perBand));
    }

    /** Human-readable lines for a terminal. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        line(b, "file", file);
        line(b, "format", format + (arrayName == null ? "" : ", array " + arrayName));
        line(b, "shape", Npy.shapeText(shape) + ", read as " + readAs + ": " + images + " image"
                + (images == 1 ? "" : "s") + " of " + height + "x" + width + ", " + bands + " band"
                + (bands == 1 ? "" : "s"));
        line(b, "dtype", dtype);
        line(b, "byte order", byteOrder);
        line(b, "layout", layout);
        line(b, "min", number(min));
        line(b, "max", number(max));
        line(b, "mean", number(mean));
        line(b, "sum", number(sum));
        line(b, "non-finite", nonFinite + (nonFinite == 0 ? "" : " (NaN or infinite; not in min/max/mean/sum)"));
        if (bands > 1) {
            for (Band band : perBand) {
                line(b, "band " + band.band(), "min " + number(band.min()) + ", max " + number(band.max()) + ", mean "
                        + number(band.mean()) + ", non-finite " + band.nonFinite());
            }
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, "%-11s %s%n", label, value));
    }

    private static String number(Double v) {
        return v == null ? "none (no finite pixel)" : String.format(Locale.ROOT, "%.9g", v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArrayStats a && a.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "ArrayStats" + toText();
    }
}
