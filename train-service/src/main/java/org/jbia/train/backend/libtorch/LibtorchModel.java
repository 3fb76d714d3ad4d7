package org.jbia.train.backend.libtorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.jbia.common.array.ImageStack;
import org.jbia.train.backend.Snapshot;
import org.jbia.train.backend.TrainableModel;
import org.jbia.train.model.BinaryLoss;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.OptimizerSpec;

/**
 * A {@link TorchNetwork} behind {@link TrainableModel}. The loss is {@link BinaryLoss}, the one both
 * backends share: the logits come back to the host (the training-mode probabilities are reported
 * anyway), its closed-form gradient with respect to each logit goes into libtorch's backward pass,
 * so hinge, focal and weighted losses need no ops of their own and match the DL4J backend's exactly.
 */
final class LibtorchModel implements TrainableModel {
    /** Images per inference call: large enough to keep the cores busy, small enough for memory. */
    static final int PREDICT_CHUNK = 256;

    private final NDManager manager;
    private final TorchNetwork network;
    private final KerasOptimizer optimizer;
    private final BinaryLoss loss;
    private final SplittableRandom dropoutSeeds;

    private LibtorchModel(NDManager manager, TorchNetwork network, KerasOptimizer optimizer, BinaryLoss loss,
                          long seed) {
        this.manager = manager;
        this.network = network;
        this.optimizer = optimizer;
        this.loss = loss;
        this.dropoutSeeds = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    static LibtorchModel create(LibtorchBackend backend, NetworkSpec spec, OptimizerSpec optimizer, BinaryLoss loss,
                                long seed) {
        NDManager manager = NDManager.newBaseManager(backend.device(), LibtorchBackend.ENGINE);
        try {
            SplittableRandom random = new SplittableRandom(seed);
            TorchNetwork network = new TorchNetwork(spec, manager, (name, shape, role, init, fanIn, fanOut) ->
                    switch (role) {
                        case WEIGHT -> manager.create(KerasInitializer.values(init, fanIn, fanOut,
                                Math.toIntExact(shape.size()), random), shape);
                        case GAMMA, RUNNING_VAR -> manager.ones(shape);
                        default -> manager.zeros(shape);
                    });
            return new LibtorchModel(manager, network, new KerasOptimizer(optimizer, network.parameters()), loss, seed);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** A saved model, for prediction; {@link #fit} refuses to train it (its optimiser state was not saved). */
    static LibtorchModel load(LibtorchBackend backend, NetworkSpec spec, byte[] saved) {
        NDManager manager = NDManager.newBaseManager(backend.device(), LibtorchBackend.ENGINE);
        try {
            NDList arrays;
            try {
                arrays = NDList.decode(manager, saved);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("cannot read the libtorch model of the bundle: " + e.getMessage(), e);
            }
            Iterator<NDArray> next = arrays.iterator();
            TorchNetwork network = new TorchNetwork(spec, manager, (name, shape, role, init, fanIn, fanOut) -> {
                NDArray a = next.hasNext() ? next.next() : null;
                if (a == null || !name.equals(a.getName()) || !shape.equals(a.getShape())) {
                    throw new IllegalArgumentException("the libtorch model of the bundle does not fit its network: "
                            + name + " " + shape + " is " + (a == null ? "missing" : a.getName() + " " + a.getShape()));
                }
                return a;
            });
            if (next.hasNext()) {
                throw new IllegalArgumentException("the libtorch model of the bundle has " + arrays.size()
                        + " tensors, its network " + network.parameters().size());
            }
            return new LibtorchModel(manager, network, null, null, 0);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    TorchNetwork network() {
        return network;
    }

    @Override
    public float[] fit(ImageStack batch, float[] labels) {
        if (optimizer == null) {
            throw new IllegalStateException("this libtorch model was loaded for prediction; train a new one instead");
        }
        if (labels.length != batch.count()) {
            throw new IllegalArgumentException(labels.length + " labels for " + batch.count() + " images");
        }
        boolean gradMode = JniUtils.isGradMode();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            if (network.hasDropout()) {
                // torch's one generator, seeded per step from this model's own stream: the same seed
                // gives the same dropout masks whatever other models did in between
                JniUtils.setSeed(dropoutSeeds.nextLong());
            }
            NDArray x = images(batch, 0, batch.count());
            JniUtils.setGradMode(true);
            NDArray z = network.forward(x, true);
            float[] logits = z.toFloatArray();
            float[] p = new float[logits.length];
            float[] dz = new float[logits.length];
            double total = 0;
            for (int i = 0; i < p.length; i++) {
                p[i] = sigmoid(logits[i]);
                total += loss.sampleWeight(labels[i]);
            }
            // d(Σ wᵢ·lᵢ / Σ wᵢ)/dzᵢ
            for (int i = 0; i < p.length; i++) {
                dz[i] = (float) (loss.sampleWeight(labels[i]) * loss.gradientWrtLogit(p[i], labels[i]) / total);
            }
            JniUtils.backward((PtNDArray) z, (PtNDArray) manager.create(dz, z.getShape()), false, false);
            JniUtils.setGradMode(false);
            optimizer.step();
            return p;
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    @Override
    public float[] predict(ImageStack images) {
        float[] out = new float[images.count()];
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int from = 0; from < images.count(); from += PREDICT_CHUNK) {
                int to = Math.min(images.count(), from + PREDICT_CHUNK);
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    float[] logits = network.forward(images(images, from, to), false).toFloatArray();
                    for (int i = 0; i < logits.length; i++) {
                        out[from + i] = sigmoid(logits[i]);
                    }
                }
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        return out;
    }

    /** As the DL4J backend's loss computes it, in double. */
    private static float sigmoid(float z) {
        return (float) (1 / (1 + Math.exp(-z)));
    }

    /** Images {@code from..to} of the stack, N×H×W×C, as the N×C×H×W tensor the network takes. */
    private NDArray images(ImageStack s, int from, int to) {
        int size = s.imageSize();
        FloatBuffer pixels = FloatBuffer.wrap(s.pixels(), from * size, (to - from) * size);
        return manager.create(pixels, TorchNetwork.dims(to - from, s.height(), s.width(), s.bands()))
                .transpose(0, 3, 1, 2);
    }

    @Override
    public long parameterCount() {
        long n = 0;
        for (TorchNetwork.Parameter p : network.parameters()) {
            n += p.array().size();
        }
        return n;
    }

    @Override
    public Snapshot snapshot() {
        List<NDArray> copies = new ArrayList<>();
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // a plain copy, not a node of the autograd graph
        try {
            for (TorchNetwork.Parameter p : network.parameters()) {
                copies.add(p.array().duplicate());
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        return new Snapshot() {
            @Override
            public Object weights() {
                return copies;
            }

            @Override
            public void close() {
                copies.forEach(NDArray::close); // free native memory now rather than with the model
            }
        };
    }

    @Override
    public void restore(Snapshot snapshot) {
        @SuppressWarnings("unchecked")
        List<NDArray> copies = (List<NDArray>) snapshot.weights();
        List<TorchNetwork.Parameter> params = network.parameters();
        if (copies.size() != params.size()) {
            throw new IllegalArgumentException("a snapshot of " + copies.size() + " tensors for a network of "
                    + params.size());
        }
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int i = 0; i < copies.size(); i++) {
                params.get(i).array().set(new NDIndex("..."), copies.get(i)); // copies in place, NaN weights included
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** DJL's NDList encoding of every tensor (named, in the network's order), read back by {@link #load}. */
    @Override
    public byte[] save() {
        NDList all = new NDList();
        for (TorchNetwork.Parameter p : network.parameters()) {
            all.add(p.array());
        }
        return all.encode();
    }

    @Override
    public void close() {
        manager.close();
    }
}
