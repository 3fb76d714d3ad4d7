package org.jbia.train.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The JIT compiler threads' priority, checked in fresh JVMs: in this one, any backend a test created has
 * already lowered them.
 */
class JitCompilersTest {

    /** Prints the compiler threads' nice values, lowers them, prints what it said and the values again. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println("before " + nices());
            System.out.println("said " + JitCompilers.lower());
            System.out.println("after " + nices());
        }

        private static String nices() {
            return JitCompilers.compilerThreads().stream().map(t -> Integer.toString(JitCompilers.nice(t)))
                    .collect(Collectors.joining(","));
        }
    }

    private static List<String> probe(String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().toList();
    }

    private static String line(List<String> out, String key) {
        return out.stream().filter(l -> l.startsWith(key + " ")).findFirst().orElseThrow(
                () -> new AssertionError("no '" + key + "' line in " + out)).substring(key.length() + 1);
    }

    @Test
    void compilerThreadsEndAtNineteen() throws Exception {
        List<String> out = probe();
        assertThat(line(out, "before")).as("a fresh JVM's compilers").isNotEmpty().doesNotContain("19");
        assertThat(line(out, "said")).isEqualTo("JIT compilers at nice 19");
        assertThat(line(out, "after").split(",")).isNotEmpty().containsOnly("19");
    }

    @Test
    void thePropertyKeepsTheJvmsPriority() throws Exception {
        List<String> out = probe("-D" + JitCompilers.PROPERTY + "=false");
        assertThat(line(out, "said")).isEqualTo("JIT compilers at the JVM's priority (jbia.jit.nice=false)");
        assertThat(line(out, "after")).isEqualTo(line(out, "before")).doesNotContain("19");
    }

    @Test
    void findsHotSpotsCompilersHere() {
        assertThat(JitCompilers.compilerThreads()).as("C1 and C2 on a tiered HotSpot").hasSizeGreaterThanOrEqualTo(2);
        assertThat(JitCompilers.compilerThreads()).allSatisfy(t -> assertThat(JitCompilers.nice(t)).isBetween(-20, 19));
    }

    @Test
    void anUnknownSettingIsRefusedByName() {
        assertThat(JitCompilers.enabled(null)).isTrue();
        assertThat(JitCompilers.enabled("true")).isTrue();
        assertThat(JitCompilers.enabled("false")).isFalse();
        assertThatThrownBy(() -> JitCompilers.enabled("off"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Djbia.jit.nice=off")
                .hasMessageContaining("expected true")
                .hasMessageContaining("or false");
    }
}
