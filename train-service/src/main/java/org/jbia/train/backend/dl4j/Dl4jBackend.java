package org.jbia.train.backend.dl4j;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.jbia.train.backend.JitCompilers;
import org.jbia.train.backend.TrainableModel;
import org.jbia.train.backend.TrainingBackend;
import org.jbia.train.model.BinaryLoss;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.OptimizerSpec;
import org.nd4j.linalg.factory.Nd4j;

/** DL4J 1.0.0-M2.1 on ND4J (CPU natives by default, CUDA with the cuda profile). */
public final class Dl4jBackend implements TrainingBackend {
    private static final System.Logger LOG = System.getLogger(Dl4jBackend.class.getName());
    private static volatile Dl4jBackend instance;

    private final boolean oneDnn;
    private final String openMpWaiting;
    private final String description;

    private Dl4jBackend() {
        openMpWaiting = OpenMp.waiting(); // before ND4J loads libgomp
        String jit = JitCompilers.lower();
        oneDnn = OneDnn.enable();
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        description = "DL4J 1.0.0-M2.1, ND4J backend " + env.getProperty("backend")
                + (env.containsKey("cuda.devicesInformation") ? ", devices " + env.get("cuda.devicesInformation")
                : ", device CPU (" + Runtime.getRuntime().availableProcessors() + " cores)")
                + ", BLAS " + env.getProperty("blas.vendor") + ", threads " + Nd4j.getEnvironment().maxThreads()
                + ", oneDNN helpers " + (oneDnn ? "on" : "off")
                + ", convolutions on " + (DnnlConvolution.enabled() ? "oneDNN 2.5 (" + blocks() + ")" : "libnd4j")
                + ", OpenMP waiting: " + openMpWaiting + ", " + jit;
        LOG.log(System.Logger.Level.INFO, description);
    }

    /** The block size of the channel-blocked layouts on this processor, for the start-up line. */
    private static String blocks() {
        ChannelBlocks.Layout layout = ChannelBlocks.layout();
        return layout == null ? "plain layouts: no blocked kernels for this processor"
                : layout.block + "-channel blocks";
    }

    /** The backend, started (natives loaded, helpers set up, backend and device logged) on first use. */
    public static Dl4jBackend instance() {
        Dl4jBackend b = instance;
        if (b == null) {
            synchronized (Dl4jBackend.class) {
                b = instance;
                if (b == null) {
                    b = new Dl4jBackend();
                    instance = b;
                }
            }
        }
        return b;
    }

    /** Limits ND4J's and its BLAS's threads (the benchmarks compare at a fixed thread count). */
    public static void setThreads(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    public boolean oneDnnHelpers() {
        return oneDnn;
    }

    @Override
    public String name() {
        return "dl4j";
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public TrainableModel create(NetworkSpec network, OptimizerSpec optimizer, BinaryLoss loss, long seed) {
        JitCompilers.lower(); // compiler threads the JVM started since
        ComputationGraphConfiguration conf = Dl4jGraphs.configure(network, optimizer, loss, seed);
        ComputationGraph initialising = new ComputationGraph(conf.clone());
        initialising.init();
        // DL4J keeps a new graph's parameters as a [1, N] array and params() reshapes it to a new rank-1 view on
        // every call, so its SGD solver's closing setParams(params()) copies every parameter onto itself each
        // step (11 M floats for ResNet-18, 30 M for AlexNet). A graph built on the rank-1 view has params()
        // return its own array, which setParams skips.
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init(initialising.params(), false);
        return new Dl4jModel(graph);
    }

    @Override
    public TrainableModel load(NetworkSpec network, byte[] saved) {
        try {
            ComputationGraph graph = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(saved), false);
            ChannelBlocks.kernelsForThisJvm(graph);
            return new Dl4jModel(graph);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the DL4J model of the bundle", e);
        }
    }
}
