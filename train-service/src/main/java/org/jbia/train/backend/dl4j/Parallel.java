package org.jbia.train.backend.dl4j;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
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
        pool(threads).submit(() -> IntStream.range(0, count).parallel().forEach(body)).join();
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
