package org.jbia.augment.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.AugmentSpec;
import org.jbia.common.schema.Problems;

/**
 * Offline augmentation of one class, pyBIA's {@code augmentation(...)} with its bugs fixed.
 *
 * <p>Order, as documented by the seed: each input image gives {@code batch} copies, each made by one
 * warp that composes shift, flip, rotation, zoom, centre crop to {@code image_size} and shear (the
 * shear acts about the crop centre after the crop, as pyBIA's skew; pixels it pulls in from beyond
 * the crop come from the image rather than the fill). Then, if {@code blend_multiplier >= 1}, the set
 * is replaced by {@code floor(blend_multiplier · n · batch)} blends; then circular cutouts.
 *
 * <p>Every random draw comes from a stream derived from {@code (seed, step, image index)}, so the
 * result is identical bit for bit for any thread count, and one draw serves all bands.
 *
 * <p>Differences from pyBIA, on purpose: shifts are integers in [-s, s] (not [-(s-1), s-1]); rotation
 * is any angle in [0, 360); one fill mode serves the whole warp; zoom without {@code image_size} keeps
 * the frame size; the crop window is {@code floor((H - size) / 2)} from the top (never NaN padded; a
 * crop larger than the image is refused); skew is a true shear; a blend 'mean' is the plain mean.
 */
public final class Augmenter {
    /** The largest Java array (some JVMs reserve a few header words). */
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8L;
    private static final int CHUNK = 8;

    private Augmenter() {
    }

    /** {@link #augment(ImageStack, AugmentSpec, long, int)} on every available processor. */
    public static ImageStack augment(ImageStack images, AugmentSpec spec, long seed) {
        return augment(images, spec, seed, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Augments a class of images.
     *
     * @param images  the class, N×H×W×C; not modified
     * @param spec    what to do
     * @param seed    the recorded seed every draw derives from
     * @param threads worker threads (the result does not depend on it)
     * @return the augmented class: N·batch images, or floor(blend_multiplier·N·batch) with blending
     * @throws org.jbia.common.schema.InvalidSpecException listing every bad parameter, before any work
     */
    public static ImageStack augment(ImageStack images, AugmentSpec spec, long seed, int threads) {
        Problems problems = problems(images.count(), images.height(), images.width(), images.bands(), spec);
        if (threads < 1) {
            problems.add("threads", threads, "it must be >= 1");
        }
        problems.throwIfAny("augmentation");

        final int h = images.height();
        final int w = images.width();
        final int bands = images.bands();
        final int outH = spec.imageSize() == null ? h : spec.imageSize();
        final int outW = spec.imageSize() == null ? w : spec.imageSize();
        final int inSize = images.imageSize();
        final int outSize = outH * outW * bands;
        final int batch = spec.batch();
        final int warpedCount = images.count() * batch;
        final boolean blending = spec.blendMultiplier() >= 1;
        final boolean masking = spec.maskSize() != null && spec.numMasks() > 0;
        final Fill fill = Fill.of(spec.fill());
        final boolean nearest = "nearest".equals(spec.interpolation());
        final float[] src = images.pixels();
        final float[] warped = new float[warpedCount * outSize];

        forEachImage(warpedCount, threads, k -> {
            Geometry g = Geometry.draw(Seeds.stream(seed, Seeds.Stage.GEOMETRY, k), spec);
            Warp.apply(src, (k / batch) * inSize, h, w, bands, warped, k * outSize, outH, outW,
                    g.inverse(h, w, outH, outW), fill, nearest);
            if (masking && !blending) {
                Cutout.apply(warped, k * outSize, outH, outW, bands, spec.maskSize(), spec.numMasks(),
                        Seeds.stream(seed, Seeds.Stage.MASK, k));
            }
        });
        if (!blending) {
            return new ImageStack(warpedCount, outH, outW, bands, warped);
        }

        final int blendCount = (int) blendCount(warpedCount, spec.blendMultiplier());
        final float[] blended = new float[blendCount * outSize];
        final BlendFunction function = BlendFunction.of(spec.blendingFunc());
        forEachImage(blendCount, threads, j -> {
            Blend.apply(warped, warpedCount, outSize, spec.numImagesToBlend(), function, blended, j * outSize,
                    Seeds.stream(seed, Seeds.Stage.BLEND, j));
            if (masking) {
                Cutout.apply(blended, j * outSize, outH, outW, bands, spec.maskSize(), spec.numMasks(),
                        Seeds.stream(seed, Seeds.Stage.MASK, j));
            }
        });
        return new ImageStack(blendCount, outH, outW, bands, blended);
    }

    /** Images {@link #augment} returns for {@code count} inputs (the spec must be valid). */
    public static long outputCount(int count, AugmentSpec spec) {
        long warped = (long) count * spec.batch();
        return spec.blendMultiplier() >= 1 ? blendCount(warped, spec.blendMultiplier()) : warped;
    }

    /**
     * Every problem of {@code spec} for a class of {@code count} images of {@code height}×{@code width}×
     * {@code bands}: those of {@link AugmentSpec#problems(String)} plus those that depend on the images.
     */
    public static Problems problems(int count, int height, int width, int bands, AugmentSpec spec) {
        Problems p = spec.problems("");
        if (!p.isEmpty()) {
            // Image-dependent checks below assume the image-independent ones hold.
            return p;
        }
        String shape = height + "x" + width;
        if (spec.imageSize() != null && (spec.imageSize() > height || spec.imageSize() > width)) {
            p.add("image_size", spec.imageSize(), "the images are " + shape + " (height x width), so it must be <= "
                    + Math.min(height, width));
        }
        if (spec.widthShift() > width) {
            p.add("width_shift", spec.widthShift(), "the images are " + width + " px wide, so it must be <= " + width);
        }
        if (spec.heightShift() > height) {
            p.add("height_shift", spec.heightShift(), "the images are " + height + " px high, so it must be <= "
                    + height);
        }
        double[] zoom = spec.zoomRange();
        if (zoom != null && !Double.isFinite(zoom[1])) {
            p.add("zoom_range", zoom, "both bounds must be finite, with 0 < min <= max");
        }
        if (spec.maskSize() == null && spec.numMasks() > 0) {
            p.add("num_masks", spec.numMasks(), "it needs mask_size (the cutout radius); give both or neither");
        }
        int outH = spec.imageSize() == null ? height : Math.min(spec.imageSize(), height);
        int outW = spec.imageSize() == null ? width : Math.min(spec.imageSize(), width);
        if (spec.maskSize() != null && spec.numMasks() > 0) {
            int limit = Cutout.radiusLimitExclusive(Math.min(outH, outW));
            if (Math.floor(spec.maskSize()) >= limit) {
                p.add("mask_size", spec.maskSize(), "a circle of that radius does not fit in the " + outH + "x" + outW
                        + " output images, so it must be < " + limit);
            }
        }
        long warped = (long) count * spec.batch();
        boolean blending = spec.blendMultiplier() >= 1;
        if (blending && spec.numImagesToBlend() > warped) {
            p.add("num_images_to_blend", spec.numImagesToBlend(), "blending draws from the " + warped
                    + " augmented images (" + count + " inputs x batch " + spec.batch() + "), so it must be <= "
                    + warped);
        }
        long perImage = (long) outH * outW * bands;
        long outputs = blending ? blendCount(warped, spec.blendMultiplier()) : warped;
        long needed = Math.max(warped, outputs) * perImage;
        if (needed > MAX_VALUES || needed < 0) {
            boolean blendIsTheCause = blending && outputs > warped;
            String field = blendIsTheCause ? "blend_multiplier" : "batch";
            Object value = blendIsTheCause ? (Object) spec.blendMultiplier() : (Object) spec.batch();
            p.add(field, value, count + " inputs would give " + outputs + " images of " + outH + "x" + outW
                    + "x" + bands + ", more values than one array holds (" + MAX_VALUES + "); lower batch or blend_multiplier");
        }
        return p;
    }

    private static long blendCount(long warped, double multiplier) {
        double m = Math.floor(multiplier * warped);
        return m >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) m;
    }

    /**
     * Runs {@code body} for 0..n-1 on {@code threads} threads (the caller's included), handing out
     * small chunks so uneven images still balance.
     */
    private static void forEachImage(int n, int threads, IntConsumer body) {
        int workers = Math.min(threads, (n + CHUNK - 1) / CHUNK);
        if (workers <= 1) {
            for (int k = 0; k < n; k++) {
                body.accept(k);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            try {
                for (int start = next.getAndAdd(CHUNK); start < n && failure.get() == null;
                     start = next.getAndAdd(CHUNK)) {
                    int end = Math.min(n, start + CHUNK);
                    for (int k = start; k < end; k++) {
                        body.accept(k);
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        Thread[] helpers = new Thread[workers - 1];
        for (int t = 0; t < helpers.length; t++) {
            helpers[t] = new Thread(worker, "augment-" + (t + 1));
            helpers[t].setDaemon(true);
            helpers[t].start();
        }
        worker.run();
        for (Thread helper : helpers) {
            try {
                helper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while augmenting", e);
            }
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }
}
