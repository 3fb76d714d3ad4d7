package org.jbia.train.backend.dl4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A layer's oneDNN 2.5 primitives by input shape (training batches, the last short batch, inference chunks),
 * built on first use and kept for the {@value #KEPT} most recently used shapes; the others are closed. A
 * null plan (no optimised oneDNN kernel for the shape) is kept too, so the question is asked once.
 */
final class ShapePlans<P extends AutoCloseable> {
    static final int KEPT = 4;
    /**
     * For tests of the layers' other paths: while set, plans built from now on are missing, as on a processor
     * for which oneDNN 2.5 has no optimised kernels.
     */
    static volatile boolean missingForTests;

    private final Map<List<Long>, P> plans = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Long>, P> eldest) {
            if (size() <= KEPT) {
                return false;
            }
            close(eldest.getValue());
            return true;
        }
    };

    /** The plan for {@code key}, built by {@code build} (which may return null) when not kept. */
    P get(List<Long> key, Supplier<P> build) {
        if (!plans.containsKey(key)) {
            plans.put(key, missingForTests ? null : build.get());
        }
        return plans.get(key);
    }

    /** The plan for an array of {@code shape}. */
    P get(long[] shape, Supplier<P> build) {
        return get(java.util.Arrays.stream(shape).boxed().toList(), build);
    }

    private static void close(AutoCloseable plan) {
        if (plan == null) {
            return;
        }
        try {
            plan.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot release a oneDNN primitive", e);
        }
    }
}
