package org.jbia.train.bench;

import java.util.Map;
import java.util.Random;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.TrainSpec;
import org.jbia.train.backend.Backends;
import org.jbia.train.backend.TrainableModel;
import org.jbia.train.backend.TrainingBackend;
import org.jbia.train.backend.dl4j.Dl4jBackend;
import org.jbia.train.backend.libtorch.LibtorchBackend;
import org.jbia.train.model.BinaryLoss;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.Networks;
import org.jbia.train.model.OptimizerSpec;
import org.jbia.train.training.Trainer;

/**
 * Training and inference throughput on random data, comparable with torch_ref.py speed: pyBIA's
 * defaults (SGD lr 1e-4 momentum 0.9, BCE, batch 32), a warm-up of 64 images, then timed epochs
 * through the same {@link Trainer} the jobs use, then inference in chunks.
 *
 * <p>{@code TrainBench --arch alexnet --size 67 --images 512 --epochs 2 --threads 2 [--batch 32]
 * [--bands 3] [--backend dl4j|libtorch]}; the first line describes the backend (engine, device, threads),
 * the last line is {@code train: X images/s, infer: Y images/s}.
 */
public final class TrainBench {

    private TrainBench() {
    }

    public static void main(String[] args) {
        Map<String, String> o = parse(args);
        String arch = o.getOrDefault("arch", "alexnet");
        int size = Integer.parseInt(o.getOrDefault("size", "67"));
        int images = Integer.parseInt(o.getOrDefault("images", "512"));
        int epochs = Integer.parseInt(o.getOrDefault("epochs", "2"));
        int threads = Integer.parseInt(o.getOrDefault("threads", "2"));
        int batch = Integer.parseInt(o.getOrDefault("batch", "32"));
        int bands = Integer.parseInt(o.getOrDefault("bands", "3"));
        String backendName = o.getOrDefault("backend", "dl4j");

        TrainingBackend backend = Backends.named(backendName);
        if (backend instanceof Dl4jBackend) {
            Dl4jBackend.setThreads(threads);
        } else if (backend instanceof LibtorchBackend) {
            LibtorchBackend.setThreads(threads);
        }
        System.out.println(backend.describe());
        NetworkSpec net = Networks.build(arch, Map.of(), size, size, bands);
        Random r = new Random(1);
        ImageStack x = ImageStack.zeros(images, size, size, bands);
        for (int i = 0; i < x.pixels().length; i++) {
            x.pixels()[i] = r.nextFloat();
        }
        float[] y = new float[images];
        for (int i = 0; i < images; i++) {
            y[i] = r.nextBoolean() ? 1 : 0;
        }
        TrainSpec spec = TrainSpec.defaults();
        BinaryLoss loss = BinaryLoss.of(spec);
        try (TrainableModel model = backend.create(net, OptimizerSpec.of(spec), loss, 1)) {
            Trainer trainer = new Trainer(model, loss, batch, 1);
            int warm = Math.min(64, images);
            trainer.epoch(x.slice(0, warm), java.util.Arrays.copyOf(y, warm));
            long t0 = System.nanoTime();
            for (int e = 0; e < epochs; e++) {
                trainer.epoch(x, y);
            }
            double train = (double) images * epochs / ((System.nanoTime() - t0) / 1e9);
            model.predict(x.slice(0, warm));
            t0 = System.nanoTime();
            model.predict(x);
            double infer = images / ((System.nanoTime() - t0) / 1e9);
            System.out.printf("%s size=%d bands=%d params=%d batch=%d threads=%d%n", arch, size, bands,
                    net.trainableParameters(), batch, threads);
            System.out.printf("train: %.1f images/s, infer: %.1f images/s%n", train, infer);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> o = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: TrainBench --arch A --size S --images N --epochs E "
                        + "--threads T [--batch B] [--bands C] [--backend dl4j|libtorch]; got " + args[i]);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }
}
