package org.jbia.common.array;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.ImageHDU;
import nom.tam.image.compression.hdu.CompressedImageHDU;

/**
 * FITS images and cubes through nom-tam-fits, including tile-compressed ({@code .fz}) images.
 *
 * <p>BITPIX 8 (unsigned), 16, 32, 64, -32 and -64 are read; integer data is scaled as
 * {@code BZERO + BSCALE * raw} in float64 and rounded to float32, and integer pixels equal to
 * BLANK become NaN. Rows are kept in stored order (row 0 = the first stored row, NAXIS2 = 1, as
 * astropy indexes {@code data[0]}); nothing is flipped.
 *
 * <p>Axes, NAXIS1 fastest (NumPy shape reversed): a 2-D image (NAXIS2 = H, NAXIS1 = W) is one
 * one-band image; a 3-D cube (NAXIS3, H, W) is by default one image whose NAXIS3 planes are its
 * bands (the usual multi-band cutout), or, with {@link ArrayReadOptions.Rank3Layout#STACK},
 * NAXIS3 one-band images; a 4-D array (NAXIS4 = N, NAXIS3 = C, H, W) is N images of C bands.
 *
 * <p>The HDU read is the first one holding an image, or the one named by EXTNAME or by its index
 * (0 = primary).
 */
public final class FitsImages {
    private FitsImages() {
    }

    public static LoadedArray load(Path file, String hduName, ArrayReadOptions options) {
        long fileSize;
        try {
            fileSize = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
        if (fileSize == 0) {
            throw new ArrayFormatException("empty file: 0 bytes, where a FITS image was expected");
        }
        try (Fits fits = new Fits(file.toFile())) {
            List<String> seen = new ArrayList<>();
            for (int index = 0; ; index++) {
                BasicHDU<?> hdu;
                try {
                    hdu = fits.readHDU();
                } catch (IOException | FitsException e) {
                    throw new ArrayFormatException("not a readable FITS file: HDU " + index + " is damaged or "
                            + "truncated (" + e.getMessage() + ")", e);
                }
                if (hdu == null) {
                    break;
                }
                Header header = hdu.getHeader();
                String extname = header.getStringValue("EXTNAME", null);
                boolean compressed = hdu instanceof CompressedImageHDU;
                boolean image = compressed || (hdu instanceof ImageHDU && hasData(header));
                seen.add(index + (extname == null ? "" : " (" + extname.strip() + ")") + (image ? " image"
                        : hdu instanceof ImageHDU ? " no data"
                        : " " + hdu.getClass().getSimpleName().replace("HDU", "").toLowerCase(Locale.ROOT)));
                boolean named = hduName != null && (hduName.equals(String.valueOf(index))
                        || (extname != null && extname.strip().equalsIgnoreCase(hduName)));
                if (named && !image) {
                    throw new ArrayFormatException("HDU " + hduName + " of " + file.getFileName()
                            + " holds no image data; it is a " + seen.get(seen.size() - 1));
                }
                if (image && (hduName == null || named)) {
                    return read(file, fileSize, hdu, index, extname, options);
                }
            }
            if (seen.isEmpty()) {
                throw new ArrayFormatException("not a readable FITS file: no HDU could be read");
            }
            throw new ArrayFormatException(file.getFileName() + (hduName == null ? " holds no image"
                    : " has no image HDU named '" + hduName + "'") + "; its HDUs are " + seen);
        } catch (FitsException e) {
            throw new ArrayFormatException("not a readable FITS file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }

    /** NAXIS > 0 and no axis of length 0: an empty primary HDU before the extensions has none. */
    private static boolean hasData(Header header) {
        int rank = header.getIntValue("NAXIS", 0);
        for (int i = 1; i <= rank; i++) {
            if (header.getLongValue("NAXIS" + i, 0) < 1) {
                return false;
            }
        }
        return rank > 0;
    }

    private static LoadedArray read(Path file, long fileSize, BasicHDU<?> hdu, int index, String extname,
                                    ArrayReadOptions options) throws FitsException {
        Header header = hdu.getHeader();
        boolean compressed = hdu instanceof CompressedImageHDU;
        String prefix = compressed ? "ZNAXIS" : "NAXIS";
        int rank = header.getIntValue(prefix, 0);
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) {
            shape[rank - 1 - i] = header.getLongValue(prefix + (i + 1), -1);
        }
        int bitpix = header.getIntValue(compressed ? "ZBITPIX" : "BITPIX", 0);
        String dtype = switch (bitpix) {
            case 8 -> "uint8";
            case 16 -> "int16";
            case 32 -> "int32";
            case 64 -> "int64";
            case -32 -> "float32";
            case -64 -> "float64";
            default -> throw new ArrayFormatException("BITPIX = " + bitpix + " is not a FITS image type; expected "
                    + "8, 16, 32, 64, -32 or -64");
        };
        long elements = Npy.elementCount(shape, options.maxElements());
        if (!compressed) {
            long needed = header.getFileOffset() + header.getSize() + elements * Math.abs(bitpix) / 8;
            if (needed > fileSize) {
                throw new ArrayFormatException("truncated FITS file: HDU " + index + " of shape " + Npy.shapeText(shape)
                        + " (BITPIX " + bitpix + ") needs " + needed + " bytes, the file has " + fileSize);
            }
        }
        int[] nhwc = nhwc(shape, options.rank3());
        ImageHDU imageHdu = compressed ? ((CompressedImageHDU) hdu).asImageHDU() : (ImageHDU) hdu;
        Object kernel = imageHdu.getData().getKernel();
        double bscale = header.getDoubleValue("BSCALE", 1.0);
        double bzero = header.getDoubleValue("BZERO", 0.0);
        boolean hasBlank = bitpix > 0 && header.containsKey("BLANK");
        long blank = hasBlank ? header.getLongValue("BLANK", 0) : 0;
        float[] planar = new float[(int) elements];
        new Flattener(planar, bscale, bzero, hasBlank, blank).walk(kernel);
        boolean scaled = bscale != 1.0 || bzero != 0.0;
        String readAs = switch (shape.length) {
            case 2 -> "(H, W) as one one-band image";
            case 3 -> options.rank3() == ArrayReadOptions.Rank3Layout.STACK ? "(N, H, W) cube as N one-band images"
                    : "(C, H, W) cube as one image of C bands";
            default -> "(N, C, H, W) as N images of C bands";
        };
        ArrayInfo info = new ArrayInfo("fits", extname != null ? extname.strip() : String.valueOf(index), shape,
                dtype + (scaled ? " scaled by BSCALE=" + bscale + ", BZERO=" + bzero : ""),
                bitpix == 8 ? "not applicable" : "big", "FITS (NAXIS1 fastest)" + (compressed ? ", tile-compressed" : ""),
                readAs);
        return new LoadedArray(info, new ImageStack(nhwc[0], nhwc[1], nhwc[2], nhwc[3], toChannelsLast(planar, nhwc)));
    }

    private static int[] nhwc(long[] shape, ArrayReadOptions.Rank3Layout rank3) {
        for (long dim : shape) {
            if (dim < 1 || dim > Integer.MAX_VALUE) {
                throw new ArrayFormatException("FITS shape " + Npy.shapeText(shape) + " has an empty or negative axis");
            }
        }
        return switch (shape.length) {
            case 2 -> new int[] {1, (int) shape[0], (int) shape[1], 1};
            case 3 -> rank3 == ArrayReadOptions.Rank3Layout.STACK
                    ? new int[] {(int) shape[0], (int) shape[1], (int) shape[2], 1}
                    : new int[] {1, (int) shape[1], (int) shape[2], (int) shape[0]};
            case 4 -> new int[] {(int) shape[0], (int) shape[2], (int) shape[3], (int) shape[1]};
            default -> throw new ArrayFormatException("FITS shape " + Npy.shapeText(shape) + " (NAXIS = " + shape.length
                    + ") is not an image: expected NAXIS 2 (image), 3 (cube of bands) or 4 (images of bands)");
        };
    }

    /** Planes stored band-major (C, H, W per image) interleaved into H, W, C. */
    private static float[] toChannelsLast(float[] planar, int[] nhwc) {
        int bands = nhwc[3];
        if (bands == 1) {
            return planar;
        }
        int plane = nhwc[1] * nhwc[2];
        float[] out = new float[planar.length];
        for (int n = 0; n < nhwc[0]; n++) {
            int base = n * plane * bands;
            for (int b = 0; b < bands; b++) {
                for (int i = 0; i < plane; i++) {
                    out[base + i * bands + b] = planar[base + b * plane + i];
                }
            }
        }
        return out;
    }

    /** Copies nom-tam-fits' nested primitive arrays, in order, into one float array, scaling as it goes. */
    private static final class Flattener {
        private final float[] out;
        private final double bscale;
        private final double bzero;
        private final boolean hasBlank;
        private final long blank;
        private final boolean scaled;
        private int next;

        Flattener(float[] out, double bscale, double bzero, boolean hasBlank, long blank) {
            this.out = out;
            this.bscale = bscale;
            this.bzero = bzero;
            this.hasBlank = hasBlank;
            this.blank = blank;
            this.scaled = bscale != 1.0 || bzero != 0.0;
        }

        void walk(Object array) {
            if (array instanceof Object[] rows) {
                for (Object row : rows) {
                    walk(row);
                }
            } else if (array instanceof float[] v) {
                for (float x : v) {
                    out[next++] = scaled ? (float) (bzero + bscale * x) : x;
                }
            } else if (array instanceof double[] v) {
                for (double x : v) {
                    out[next++] = scaled ? (float) (bzero + bscale * x) : (float) x;
                }
            } else if (array instanceof byte[] v) {
                for (byte x : v) {
                    integer(Byte.toUnsignedInt(x));
                }
            } else if (array instanceof short[] v) {
                for (short x : v) {
                    integer(x);
                }
            } else if (array instanceof int[] v) {
                for (int x : v) {
                    integer(x);
                }
            } else if (array instanceof long[] v) {
                for (long x : v) {
                    integer(x);
                }
            } else {
                throw new ArrayFormatException("FITS data of type " + array.getClass().getSimpleName()
                        + " (length " + Array.getLength(array) + ") is not an image");
            }
        }

        private void integer(long raw) {
            if (hasBlank && raw == blank) {
                out[next++] = Float.NaN;
            } else {
                out[next++] = scaled ? (float) (bzero + bscale * raw) : (float) raw;
            }
        }
    }
}
