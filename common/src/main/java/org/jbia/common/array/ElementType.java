package org.jbia.common.array;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A numeric element type as NumPy describes it ({@code '<f4'}, {@code '>u2'}, {@code '|i1'}), with
 * the conversion of its values to float32: round to nearest (what {@code ndarray.astype(np.float32)}
 * does), float16 exactly, unsigned types as unsigned.
 */
record ElementType(char kind, int size, ByteOrder order, String descr) {
    /** Every descr kind/size read, in NumPy's names. */
    static final List<String> SUPPORTED = List.of("float16", "float32", "float64", "int8", "int16", "int32", "int64",
            "uint8", "uint16", "uint32", "uint64", "bool");

    static ElementType parse(String descr) {
        if (descr.length() < 3 && !descr.endsWith("O")) {
            throw unsupported(descr);
        }
        char orderChar = descr.charAt(0);
        char kind = descr.length() > 1 ? descr.charAt(1) : descr.charAt(0);
        if (kind == 'O') {
            throw new ArrayFormatException("dtype '" + descr + "' is an object array: its elements are pickled Python "
                    + "objects, which jBIA never loads (unpickling can run code); save a numeric array instead, one of "
                    + String.join(", ", SUPPORTED));
        }
        int size;
        try {
            size = Integer.parseInt(descr.substring(2));
        } catch (NumberFormatException e) {
            throw unsupported(descr);
        }
        ByteOrder order = switch (orderChar) {
            case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '=' -> ByteOrder.nativeOrder();
            default -> throw unsupported(descr);
        };
        boolean known = switch (kind) {
            case 'f' -> size == 2 || size == 4 || size == 8;
            case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
            case 'b' -> size == 1;
            default -> false;
        };
        if (!known) {
            throw unsupported(descr);
        }
        return new ElementType(kind, size, order, descr);
    }

    private static ArrayFormatException unsupported(String descr) {
        return new ArrayFormatException("dtype '" + descr + "' is not a supported image type; supported: "
                + String.join(", ", SUPPORTED) + " (either byte order)");
    }

    /** NumPy's name: float32, uint16, ... */
    String name() {
        return switch (kind) {
            case 'f' -> "float" + size * 8;
            case 'i' -> "int" + size * 8;
            case 'u' -> "uint" + size * 8;
            default -> "bool";
        };
    }

    /** little, big, or "not applicable" for one-byte types, whose order does not matter. */
    String byteOrderName() {
        if (size == 1) {
            return "not applicable";
        }
        return order == ByteOrder.LITTLE_ENDIAN ? "little" : "big";
    }

    /**
     * Converts {@code count} elements from {@code src} (at its position; advanced past them) into
     * {@code dst[offset...]}.
     */
    void decode(ByteBuffer src, float[] dst, int offset, int count) {
        ByteBuffer in = src.slice().order(order);
        switch (kind) {
            case 'f' -> {
                if (size == 4) {
                    in.asFloatBuffer().get(dst, offset, count);
                } else if (size == 8) {
                    var doubles = in.asDoubleBuffer();
                    for (int i = 0; i < count; i++) {
                        dst[offset + i] = (float) doubles.get(i);
                    }
                } else {
                    var halves = in.asShortBuffer();
                    for (int i = 0; i < count; i++) {
                        dst[offset + i] = halfToFloat(halves.get(i));
                    }
                }
            }
            case 'i' -> decodeSigned(in, dst, offset, count);
            case 'u' -> decodeUnsigned(in, dst, offset, count);
            default -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = in.get(i) != 0 ? 1f : 0f;
                }
            }
        }
        src.position(src.position() + count * size);
    }

    private void decodeSigned(ByteBuffer in, float[] dst, int offset, int count) {
        switch (size) {
            case 1 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = in.get(i);
                }
            }
            case 2 -> {
                var v = in.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = v.get(i);
                }
            }
            case 4 -> {
                var v = in.asIntBuffer();
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = (float) v.get(i);
                }
            }
            default -> {
                var v = in.asLongBuffer();
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = (float) v.get(i);
                }
            }
        }
    }

    private void decodeUnsigned(ByteBuffer in, float[] dst, int offset, int count) {
        switch (size) {
            case 1 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = Byte.toUnsignedInt(in.get(i));
                }
            }
            case 2 -> {
                var v = in.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = Short.toUnsignedInt(v.get(i));
                }
            }
            case 4 -> {
                var v = in.asIntBuffer();
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = (float) Integer.toUnsignedLong(v.get(i));
                }
            }
            default -> {
                var v = in.asLongBuffer();
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = unsignedLongToFloat(v.get(i));
                }
            }
        }
    }

    /** Round-to-nearest conversion of an unsigned 64-bit value (Java's cast would read it as signed). */
    static float unsignedLongToFloat(long v) {
        if (v >= 0) {
            return (float) v;
        }
        // Halve with the lost bit kept as a sticky bit, so that rounding stays correct, then double.
        return (float) ((v >>> 1) | (v & 1)) * 2f;
    }

    /** IEEE binary16 to binary32, exact (every half value is a float); NaN payloads kept, as NumPy does. */
    static float halfToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign != 0 ? -subnormal : subnormal;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
