package org.jbia.train.backend.dl4j;

import com.sun.jna.Platform;
import com.sun.jna.platform.unix.LibC;

/**
 * How OpenMP's idle worker threads wait, for the natives ND4J loads (libnd4j, and oneDNN 2.5, which shares
 * its libgomp). jBIA sets a bounded spin: {@value #SPIN_COUNT} spins ({@value #WAIT_POLICY}=ACTIVE,
 * {@value #SPIN} = {@value #SPIN_COUNT}), then sleep. With convolutions, batch norm and pooling on oneDNN,
 * a training step is hundreds of back-to-back parallel regions, and a worker that sleeps after each pays a
 * futex wake-up at the next: ResNet-18 trained at 53-64 images/s with passive waiting against 71-77 with
 * this spin (alternating fresh JVMs, two threads, this 2-core machine), and AlexNet no slower. Unbounded
 * spinning starves libnd4j's own pool and jBIA's Java kernels. libgomp reads the variables once, when it
 * is loaded, so this must run before ND4J's first operation. Values set in the environment are kept.
 */
final class OpenMp {
    static final String WAIT_POLICY = "OMP_WAIT_POLICY";
    static final String SPIN = "GOMP_SPINCOUNT";
    static final String SPIN_COUNT = "200000";

    private OpenMp() {
    }

    /** Sets the bounded spin unless the environment says how to wait; returns how OpenMP waits, in words. */
    static String waiting() {
        String policy = System.getenv(WAIT_POLICY);
        String spin = System.getenv(SPIN);
        if (policy != null || spin != null) {
            return (policy == null ? "" : WAIT_POLICY + "=" + policy + " ")
                    + (spin == null ? "" : SPIN + "=" + spin + " ") + "(from the environment)";
        }
        if (!Platform.isLinux() && !Platform.isMac()) {
            return "the OpenMP runtime's default";
        }
        try {
            // the C library's environment, which libgomp reads (System.getenv keeps its own copy)
            if (LibC.INSTANCE.setenv(SPIN, SPIN_COUNT, 0) == 0 && LibC.INSTANCE.setenv(WAIT_POLICY, "ACTIVE", 0) == 0) {
                return "spin " + SPIN_COUNT + " then sleep";
            }
        } catch (LinkageError e) {
            // no C library through JNA: the runtime's default
        }
        return "the OpenMP runtime's default";
    }
}
