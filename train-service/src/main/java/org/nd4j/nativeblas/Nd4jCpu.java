package org.nd4j.nativeblas;

/**
 * Shim under the class name DL4J 1.0.0-M2.1 still looks up to decide whether its oneDNN layer helpers
 * may run ({@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper}). ND4J M2.1 renamed the class
 * to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu} and the method to {@code isUseONEDNN()}, so
 * without this the lookup fails silently and every convolution and pooling layer falls back to
 * im2col + OpenBLAS (about 3x slower). Used only through reflection; see org.jbia.train.backend.dl4j.OneDnn.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The old environment class; delegates to the renamed one. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
