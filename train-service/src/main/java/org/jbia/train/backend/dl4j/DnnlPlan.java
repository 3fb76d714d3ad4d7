package org.jbia.train.backend.dl4j;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;

/**
 * The native oneDNN 2.5 objects one plan owns (descriptors, primitives, memory handles), released together
 * by {@link #close}; and running a primitive on the calling thread's stream.
 */
abstract class DnnlPlan implements AutoCloseable {
    private final List<Pointer> owned = new ArrayList<>();

    /** {@code p}, now released with this plan. */
    protected final <T extends Pointer> T own(T p) {
        owned.add(p);
        return p;
    }

    @Override
    public void close() {
        for (Pointer p : owned) {
            p.close();
        }
        owned.clear();
    }

    /** An empty argument list for {@link Arguments#run}. */
    static Arguments arguments() {
        return new Arguments();
    }

    /** A primitive's arguments by oneDNN's argument number (DNNL_ARG_…). */
    static final class Arguments {
        private final IntMemoryMap map = new IntMemoryMap();

        /** Adds {@code m} as argument {@code argument}; a null {@code m} is left out. */
        Arguments with(int argument, memory m) {
            if (m != null) {
                map.put(argument, m);
            }
            return this;
        }

        /** Runs {@code p} with these arguments on this thread's stream and waits for it; the list is then spent. */
        void run(primitive p) {
            try {
                stream s = DnnlConvolution.stream();
                p.execute(s, map);
                s._wait();
            } finally {
                map.close();
            }
        }
    }
}
