package org.jbia.train.backend.dl4j;

import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Switches DL4J's oneDNN layer helpers on (CPU only). DL4J 1.0.0-M2.1 leaves them off: helper creation
 * is disabled unless the system property {@value #HELPERS_PROPERTY} is "false", and its availability
 * check reflects on a class that ND4J M2.1 renamed (the shim {@code org.nd4j.nativeblas.Nd4jCpu} restores
 * the old name). The oneDNN natives must be the ones loaded: the pom puts the
 * {@code linux-x86_64-onednn-avx2} classifier of nd4j-native first on the classpath.
 */
public final class OneDnn {
    static final String HELPERS_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private OneDnn() {
    }

    /**
     * Enables the helpers unless the user set the property explicitly; returns whether DL4J will use them.
     * Must run before the first network is built.
     */
    public static boolean enable() {
        if (System.getProperty(HELPERS_PROPERTY) == null) {
            System.setProperty(HELPERS_PROPERTY, "false");
        }
        boolean wanted = !Boolean.parseBoolean(System.getProperty(HELPERS_PROPERTY));
        if (!wanted) {
            return false;
        }
        String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
        if (!"CPU".equalsIgnoreCase(backend)) {
            return false;
        }
        Nd4j.getEnvironment().allowHelpers(true);
        return BaseMKLDNNHelper.mklDnnEnabled();
    }
}
