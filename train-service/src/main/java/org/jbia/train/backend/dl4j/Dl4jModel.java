package org.jbia.train.backend.dl4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.jbia.common.array.ImageStack;
import org.jbia.train.backend.Snapshot;
import org.jbia.train.backend.TrainableModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A DL4J computation graph behind {@link TrainableModel}. */
final class Dl4jModel implements TrainableModel {
    /** Images per inference call: large enough to keep the cores busy, small enough for memory. */
    static final int PREDICT_CHUNK = 256;

    private final ComputationGraph graph;
    private final Dl4jLoss loss;

    Dl4jModel(ComputationGraph graph) {
        this.graph = graph;
        BaseOutputLayer out = (BaseOutputLayer) graph.getOutputLayer(0).conf().getLayer();
        this.loss = (Dl4jLoss) out.getLossFn();
    }

    ComputationGraph graph() {
        return graph;
    }

    @Override
    public float[] fit(ImageStack batch, float[] labels) {
        if (labels.length != batch.count()) {
            throw new IllegalArgumentException(labels.length + " labels for " + batch.count() + " images");
        }
        INDArray x = toNchw(batch);
        INDArray y = Nd4j.createFromArray(labels).reshape(labels.length, 1);
        graph.fit(new INDArray[] {x}, new INDArray[] {y});
        x.close();
        y.close();
        float[] p = loss.takeLastProbabilities();
        if (p == null || p.length != labels.length) {
            throw new IllegalStateException("DL4J did not compute the training loss of the batch");
        }
        return p;
    }

    @Override
    public float[] predict(ImageStack images) {
        float[] out = new float[images.count()];
        for (int from = 0; from < images.count(); from += PREDICT_CHUNK) {
            int to = Math.min(images.count(), from + PREDICT_CHUNK);
            INDArray x = toNchw(images.slice(from, to));
            INDArray p = graph.outputSingle(false, x);
            float[] chunk = p.reshape(to - from).toFloatVector();
            System.arraycopy(chunk, 0, out, from, chunk.length);
            x.close();
            p.close();
        }
        return out;
    }

    @Override
    public long parameterCount() {
        return graph.numParams();
    }

    @Override
    public Snapshot snapshot() {
        INDArray copy = graph.params().dup();
        return new Snapshot() {
            @Override
            public Object weights() {
                return copy;
            }

            @Override
            public void close() {
                copy.close(); // free the off-heap copy now rather than at some later GC
            }
        };
    }

    @Override
    public void restore(Snapshot snapshot) {
        graph.setParams((INDArray) snapshot.weights());
    }

    @Override
    public byte[] save() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(graph, out, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the DL4J model", e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        graph.close();
    }

    /** N×H×W×C (jBIA's layout) to N×C×H×W (DL4J's). */
    static INDArray toNchw(ImageStack s) {
        int n = s.count();
        int h = s.height();
        int w = s.width();
        int c = s.bands();
        float[] src = s.pixels();
        float[] dst = new float[src.length];
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int base = i * plane * c;
            for (int p = 0; p < plane; p++) {
                int from = base + p * c;
                for (int b = 0; b < c; b++) {
                    dst[base + b * plane + p] = src[from + b];
                }
            }
        }
        return Nd4j.create(dst, new long[] {n, c, h, w}, 'c');
    }
}
