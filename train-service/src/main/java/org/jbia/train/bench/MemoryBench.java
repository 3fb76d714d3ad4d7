package org.jbia.train.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.bytedeco.javacpp.Pointer;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.TrainSpec;
import org.jbia.train.backend.Backends;
import org.jbia.train.backend.TrainableModel;
import org.jbia.train.backend.TrainingBackend;
import org.jbia.train.backend.dl4j.Dl4jBackend;
import org.jbia.train.model.BinaryLoss;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.Networks;
import org.jbia.train.model.OptimizerSpec;
import org.jbia.train.training.Trainer;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Whether a long training run leaks: trains on random images through the {@link Trainer} the jobs use
 * and, after every epoch, samples the Java heap in use (after a GC), the size of ND4J's workspaces
 * (its off-heap arrays of a training step) and the process' resident set (VmRSS: everything native,
 * which is where an off-heap leak shows; ND4J does not count its other allocations). The verdict compares
 * the resident set at a settled epoch with the last one.
 *
 * <p>{@code MemoryBench [--arch alexnet] [--size 67] [--images 1000] [--epochs 50] [--from 5]
 * [--threads 2] [--batch 32] [--backend dl4j] [--limit-mb 64]}; the last line is the verdict, {@code PASS}
 * when the resident set grew by at most {@code limit-mb} MB from epoch {@code from} to the last.
 */
public final class MemoryBench {
    private static final double MB = 1024.0 * 1024.0;

    private MemoryBench() {
    }

    /** One epoch's sample, in MB: Java heap in use, ND4J's workspaces (off-heap), the resident set. */
    record Sample(int epoch, double seconds, double heapUsed, double workspaces, double rss) {
    }

    public static void main(String[] args) {
        Map<String, String> o = parse(args);
        String arch = o.getOrDefault("arch", "alexnet");
        int size = Integer.parseInt(o.getOrDefault("size", "67"));
        int images = Integer.parseInt(o.getOrDefault("images", "1000"));
        int epochs = Integer.parseInt(o.getOrDefault("epochs", "50"));
        int from = Math.min(Integer.parseInt(o.getOrDefault("from", "5")), epochs);
        int threads = Integer.parseInt(o.getOrDefault("threads", "2"));
        int batch = Integer.parseInt(o.getOrDefault("batch", "32"));
        double limitMb = Double.parseDouble(o.getOrDefault("limit-mb", "64"));
        TrainingBackend backend = Backends.named(o.getOrDefault("backend", "dl4j"));
        if (backend instanceof Dl4jBackend) {
            Dl4jBackend.setThreads(threads);
        }
        System.out.println(backend.describe());
        System.out.printf(Locale.ROOT, "%s %dx%dx3, %d images, %d epochs, batch %d, max heap %.0f MB%n", arch, size,
                size, images, epochs, batch, Runtime.getRuntime().maxMemory() / MB);

        Random r = new Random(1);
        ImageStack x = ImageStack.zeros(images, size, size, 3);
        for (int i = 0; i < x.pixels().length; i++) {
            x.pixels()[i] = r.nextFloat();
        }
        float[] y = new float[images];
        for (int i = 0; i < images; i++) {
            y[i] = r.nextBoolean() ? 1 : 0;
        }
        NetworkSpec net = Networks.build(arch, Map.of(), size, size, 3);
        TrainSpec spec = TrainSpec.defaults();
        BinaryLoss loss = BinaryLoss.of(spec);
        List<Sample> samples = new ArrayList<>();
        System.out.println("epoch  seconds  heap_used_mb  workspaces_mb  rss_mb");
        try (TrainableModel model = backend.create(net, OptimizerSpec.of(spec), loss, 1)) {
            Trainer trainer = new Trainer(model, loss, batch, 1);
            for (int e = 1; e <= epochs; e++) {
                long t0 = System.nanoTime();
                trainer.epoch(x, y);
                double seconds = (System.nanoTime() - t0) / 1e9;
                Sample s = sample(e, seconds);
                samples.add(s);
                System.out.printf(Locale.ROOT, "%5d  %7.1f  %12.1f  %13.1f  %6.1f%n", s.epoch(), s.seconds(),
                        s.heapUsed(), s.workspaces(), s.rss());
            }
        }
        System.out.println(verdict(samples, from, limitMb));
    }

    private static Sample sample(int epoch, double seconds) {
        System.gc();
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long workspaces = 0;
        for (MemoryWorkspace w : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
            workspaces += w.getCurrentSize();
        }
        return new Sample(epoch, seconds, heap.getUsed() / MB, workspaces / MB, residentSetMb());
    }

    /** VmRSS from /proc/self/status (Linux), else JavaCPP's estimate of the physical memory in use. */
    static double residentSetMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: fall back
        }
        return Pointer.physicalBytes() / MB;
    }

    /**
     * PASS when the resident set grew by at most {@code limitMb} from epoch {@code from} to the last epoch
     * (the first epochs fill workspaces and caches); the workspace and heap growth are reported beside it.
     */
    static String verdict(List<Sample> samples, int from, double limitMb) {
        if (samples.isEmpty()) {
            return "no epochs: no verdict";
        }
        Sample first = samples.get(Math.max(0, Math.min(from, samples.size()) - 1));
        Sample last = samples.get(samples.size() - 1);
        double rss = last.rss() - first.rss();
        double workspaces = last.workspaces() - first.workspaces();
        double heap = last.heapUsed() - first.heapUsed();
        double perEpoch = last.epoch() > first.epoch() ? rss / (last.epoch() - first.epoch()) : 0;
        return String.format(Locale.ROOT, "%s: RSS %+.1f MB from epoch %d to %d (%+.2f MB/epoch), workspaces %+.1f MB, "
                        + "heap %+.1f MB; limit %.0f MB", rss <= limitMb ? "PASS" : "FAIL", rss, first.epoch(),
                last.epoch(), perEpoch, workspaces, heap, limitMb);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: MemoryBench [--arch A] [--size S] [--images N] [--epochs E] "
                        + "[--from F] [--threads T] [--batch B] [--backend dl4j] [--limit-mb M]; got " + args[i]);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }
}
