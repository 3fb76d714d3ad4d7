package org.jbia.train.backend.dl4j;

import com.sun.jna.Platform;
import com.sun.jna.platform.unix.LibC;

/**
 * OpenMP's wait policy for the natives ND4J loads. libgomp's default keeps idle worker threads spinning
 * after each parallel region; DL4J alternates oneDNN's OpenMP team with libnd4j's own thread pool,
 * OpenBLAS' threads and the Java kernels, so on a two-core machine the spinning team starves the others
 * (measured on a busy 2-core machine: ResNet-18 training at 4.8 images/s spinning, 20 passive, with a
 * third of the CPU time). libgomp reads {@value #WAIT_POLICY} once, when it is loaded, so this must run
 * before ND4J's first operation. A value set in the environment is kept.
 */
final class OpenMp {
    static final String WAIT_POLICY = "OMP_WAIT_POLICY";

    private OpenMp() {
    }

    /** Sets {@value #WAIT_POLICY}=PASSIVE in the process environment unless already set; whether the policy is passive. */
    static boolean passiveWaiting() {
        String set = System.getenv(WAIT_POLICY);
        if (set != null) {
            return set.equalsIgnoreCase("passive");
        }
        if (!Platform.isLinux() && !Platform.isMac()) {
            return false;
        }
        try {
            // the C library's environment, which libgomp reads (System.getenv keeps its own copy)
            return LibC.INSTANCE.setenv(WAIT_POLICY, "PASSIVE", 0) == 0;
        } catch (LinkageError e) {
            return false;
        }
    }
}
