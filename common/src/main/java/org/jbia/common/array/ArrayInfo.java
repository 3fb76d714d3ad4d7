package org.jbia.common.array;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Arrays;

/**
 * What a file held before it became an {@link ImageStack}: the stored shape and element type, as
 * {@code bia inspect} reports them.
 *
 * @param format    npy, npz or fits
 * @param arrayName the array inside an archive ({@code .npz} entry or FITS HDU), null for a plain {@code .npy}
 * @param shape     the shape as stored (NumPy order for .npy; for FITS, NumPy's reversed NAXISn order, slowest first)
 * @param dtype     NumPy's name of the element type (float32, uint16, ...), for FITS the one BITPIX stands for
 * @param byteOrder little, big, or not applicable (one-byte types)
 * @param layout    C, Fortran, or FITS (first axis fastest, like Fortran)
 * @param readAs    how the shape was mapped to N×H×W×C, e.g. "(N, H, W) one band"
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ArrayInfo(String format, String arrayName, long[] shape, String dtype, String byteOrder, String layout,
                        String readAs) {

    public String shapeText() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArrayInfo a && a.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "ArrayInfo[format=" + format + ", array_name=" + arrayName + ", shape=" + Arrays.toString(shape)
                + ", dtype=" + dtype + ", byte_order=" + byteOrder + ", layout=" + layout + ", read_as=" + readAs + "]";
    }
}
