import java.nio.file.Path;
import java.util.Arrays;
import org.jbia.common.array.ImageStack;
import org.jbia.common.array.Npy;

/**
 * Times {@link Npy#read(Path)} on one file: warm-up reads (JIT, page cache), then timed ones; prints
 * "best_ms median_ms" on the last line for bench.sh. Run as a single-file program:
 * {@code java -cp common.jar NpyBench.java FILE REPEATS}.
 */
public class NpyBench {
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int repeats = Integer.parseInt(args[1]);
        double checksum = 0;
        for (int i = 0; i < 5; i++) {
            checksum += Npy.read(file).pixels()[i];
        }
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            ImageStack stack = Npy.read(file);
            ms[i] = (System.nanoTime() - start) / 1e6;
            checksum += stack.pixels()[stack.pixels().length - 1 - i];
        }
        Arrays.sort(ms);
        System.err.println("checksum " + checksum);
        System.out.printf(java.util.Locale.ROOT, "%.2f %.2f%n", ms[0], ms[repeats / 2]);
    }
}
