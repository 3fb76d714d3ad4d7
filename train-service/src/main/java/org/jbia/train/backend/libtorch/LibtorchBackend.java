package org.jbia.train.backend.libtorch;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.ClassLoaderUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jbia.train.backend.JitCompilers;
import org.jbia.train.backend.TrainableModel;
import org.jbia.train.backend.TrainingBackend;
import org.jbia.train.model.BinaryLoss;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.OptimizerSpec;

/**
 * libtorch through DJL's PyTorch engine: CPU natives by default, CUDA 12.4 with the cuda-libtorch
 * profile (the first GPU when one is visible). DJL is kept offline: libtorch comes from the
 * pytorch-native jar on the classpath, never from a download.
 */
public final class LibtorchBackend implements TrainingBackend {
    private static final System.Logger LOG = System.getLogger(LibtorchBackend.class.getName());
    static final String ENGINE = "PyTorch";
    /** What DJL's PyTorch engine looks for on the classpath to find a bundled libtorch. */
    private static final String NATIVES = "native/lib/pytorch.properties";
    private static volatile LibtorchBackend instance;

    private final Device device;
    private final String description;

    private LibtorchBackend() {
        keepOffline();
        requireNatives(ClassLoaderUtils.getContextClassLoader());
        Engine engine;
        try {
            engine = Engine.getEngine(ENGINE);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot start libtorch through DJL's PyTorch engine: " + e.getMessage()
                    + " (the natives come from ai.djl.pytorch:pytorch-native-cpu:linux-x86_64 on the classpath,"
                    + " unpacked into $DJL_CACHE_DIR, default ~/.djl.ai)", e);
        }
        device = engine.defaultDevice();
        description = "libtorch " + engine.getVersion() + " through DJL " + Engine.getDjlVersion()
                + ", device " + device + (device.isGpu() ? " (" + engine.getGpuCount() + " GPUs visible)"
                : " (" + Runtime.getRuntime().availableProcessors() + " cores)")
                + ", natives " + LibUtils.getLibtorchPath() + ", " + JitCompilers.lower();
        LOG.log(System.Logger.Level.INFO, describe());
    }

    /** The backend, started (libtorch loaded, backend and device logged) on first use. */
    public static LibtorchBackend instance() {
        LibtorchBackend b = instance;
        if (b == null) {
            synchronized (LibtorchBackend.class) {
                b = instance;
                if (b == null) {
                    b = new LibtorchBackend();
                    instance = b;
                }
            }
        }
        return b;
    }

    /**
     * libtorch's intra-op threads (the benchmarks compare at a fixed thread count); the same as
     * -Dai.djl.pytorch.num_threads=N.
     */
    public static void setThreads(int threads) {
        instance();
        JniUtils.setNumThreads(threads);
    }

    /**
     * DJL would otherwise download libtorch when no native jar matches; a service without internet
     * must fail at once and say why. An explicit DJL_OFFLINE or ai.djl.offline is left as set.
     */
    private static void keepOffline() {
        if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    /** Fails, saying what to add, when {@code loader} has no libtorch build for DJL to unpack. */
    static void requireNatives(ClassLoader loader) {
        if (System.getenv("PYTORCH_LIBRARY_PATH") != null || System.getProperty("PYTORCH_LIBRARY_PATH") != null) {
            return; // DJL's override: a libtorch installed outside the classpath
        }
        boolean found;
        try {
            found = loader.getResources(NATIVES).hasMoreElements();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for libtorch's natives on the classpath", e);
        }
        if (!found) {
            throw new IllegalStateException("the libtorch backend needs libtorch's native libraries and this build has"
                    + " none: add ai.djl.pytorch:pytorch-native-cpu (classifier linux-x86_64) to the classpath, or"
                    + " build with the Maven profile cpu (default) or cuda-libtorch; DJL is offline here and does not"
                    + " download them");
        }
    }

    Device device() {
        return device;
    }

    @Override
    public String name() {
        return "libtorch";
    }

    @Override
    public String describe() {
        return description + ", threads " + JniUtils.getNumThreads();
    }

    @Override
    public TrainableModel create(NetworkSpec network, OptimizerSpec optimizer, BinaryLoss loss, long seed) {
        JitCompilers.lower(); // compiler threads the JVM started since
        return LibtorchModel.create(this, network, optimizer, loss, seed);
    }

    @Override
    public TrainableModel load(NetworkSpec network, byte[] saved) {
        return LibtorchModel.load(this, network, saved);
    }
}
