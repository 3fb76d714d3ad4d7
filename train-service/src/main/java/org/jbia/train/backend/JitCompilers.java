package org.jbia.train.backend;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs this JVM's JIT compiler threads at the lowest CPU priority (nice {@value #NICE}), so that they take
 * the cores the training threads leave idle instead of the training threads' own.
 *
 * <p>Why: a training step is hundreds of back-to-back parallel regions, each waiting for its slowest
 * thread. A compiler thread that preempts one training thread stalls all of them; on a machine with as
 * many cores as training threads, C2 compiling DL4J's Java code for a fresh JVM's first thousand images
 * (about 5 s of compile time in a 25 s run) cost that run about a tenth of its speed. ResNet-18, 1,024
 * images after 64 for warm-up, two threads on this 2-core machine, alternating fresh JVMs, eight pairs:
 * 51.6-73.4 images/s (median 61.7) at the JVM's priority, 59.0-73.7 (median 67.6) with the compilers at
 * nice 19. Once compiled, nothing changes: the compilers are then idle.
 *
 * <p>The JVM can do this itself ({@code -XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority=19}), but only
 * when every launcher passes the flags, and it warns at each start when not run as root. This needs no
 * flag: Linux only, compiler threads found by name in {@code /proc/self/task}, reniced by thread id (on
 * Linux {@code setpriority} on a thread id applies to that thread). Compiler threads the JVM starts later
 * (it adds some on machines with many cores) are lowered at the next call. {@code -Djbia.jit.nice=false}
 * keeps the JVM's priority.
 */
public final class JitCompilers {
    /** The system property that turns this off. */
    public static final String PROPERTY = "jbia.jit.nice";
    static final int NICE = 19;
    /** HotSpot's compiler threads, by name as /proc shows it (cut to 15 characters): C1, C2, JVMCI (Graal). */
    private static final Pattern COMPILER = Pattern.compile("(C1|C2|JVMCI) Compiler.*");
    private static final int PRIO_PROCESS = 0;

    private JitCompilers() {
    }

    /** The C library's setpriority (not in JNA's platform LibC). */
    private interface Priority extends Library {
        int setpriority(int which, int who, int prio);
    }

    /**
     * Lowers the compiler threads unless {@value #PROPERTY} says false; returns what applies, in words,
     * for the backend's start-up line.
     *
     * @throws IllegalArgumentException when {@value #PROPERTY} is neither true nor false
     */
    public static synchronized String lower() {
        if (!enabled(System.getProperty(PROPERTY))) {
            return "JIT compilers at the JVM's priority (" + PROPERTY + "=false)";
        }
        if (!Platform.isLinux()) {
            return "JIT compilers at the JVM's priority (lowered on Linux only)";
        }
        List<Integer> threads = compilerThreads();
        if (threads.isEmpty()) {
            return "JIT compilers at the JVM's priority (no compiler threads found)";
        }
        Priority c;
        try {
            c = Native.load("c", Priority.class);
        } catch (LinkageError e) {
            return "JIT compilers at the JVM's priority (no C library through JNA)";
        }
        int lowered = 0;
        for (int tid : threads) {
            if (nice(tid) == NICE || c.setpriority(PRIO_PROCESS, tid, NICE) == 0) {
                lowered++;
            }
        }
        return lowered == threads.size() ? "JIT compilers at nice " + NICE
                : "JIT compilers at nice " + NICE + " for " + lowered + " of " + threads.size() + " threads";
    }

    static boolean enabled(String setting) {
        if (setting == null || setting.equals("true")) {
            return true;
        }
        if (setting.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + setting + " is not allowed: expected true "
                + "(the default: JIT compiler threads at nice " + NICE + ") or false (at the JVM's priority)");
    }

    /** The thread ids of this JVM's compiler threads; empty where /proc cannot be read. */
    static List<Integer> compilerThreads() {
        List<Integer> ids = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name = read(task.resolve("comm"));
                if (name != null && COMPILER.matcher(name.strip()).matches()) {
                    ids.add(Integer.parseInt(task.getFileName().toString()));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
        return ids;
    }

    /** A thread's nice value from /proc (the 19th field of its stat, counted after the name's closing paren). */
    static int nice(int tid) {
        String stat = read(Path.of("/proc/self/task", Integer.toString(tid), "stat"));
        if (stat == null) {
            return Integer.MIN_VALUE;
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null; // the thread has ended
        }
    }
}
