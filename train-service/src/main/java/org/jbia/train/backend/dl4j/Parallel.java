package org.jbia.train.backend.dl4j;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the Java kernels' independent loop bodies on as many threads as ND4J uses (the benchmarks compare
 * backends at a fixed thread count), in a pool of their own so that they never wait behind other work.
 */
final class Parallel {
    private static ForkJoinPool pool;

    private Parallel() {
    }

    /** Calls {@code body} for 0 ≤ i &lt; count, spread over ND4J's thread count. */
    static void forEach(int count, IntConsumer body) {
        int threads = Math.min(count, Math.max(1, Nd4j.getEnvironment().maxThreads()));
        if (threads <= 1) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        // the calling thread takes part: one wake-up fewer per call, and no thread idles waiting
        AtomicInteger next = new AtomicInteger();
        Runnable share = () -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                body.accept(i);
            }
        };
        ForkJoinPool helpers = pool(threads - 1);
        ForkJoinTask<?>[] others = new ForkJoinTask<?>[threads - 1];
        for (int t = 0; t < others.length; t++) {
            others[t] = helpers.submit(share);
        }
        try {
            share.run();
        } finally {
            for (ForkJoinTask<?> other : others) {
                other.join();
            }
        }
    }

    private static synchronized ForkJoinPool pool(int threads) {
        if (pool == null || pool.getParallelism() != threads) {
            if (pool != null) {
                pool.shutdown();
            }
            pool = new ForkJoinPool(threads); // daemon workers: never keep the JVM alive
        }
        return pool;
    }
}
