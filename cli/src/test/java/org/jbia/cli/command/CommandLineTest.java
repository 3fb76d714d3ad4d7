package org.jbia.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.jbia.cli.Bia;
import org.jbia.cli.simulate.LensSimulator;
import org.jbia.cli.simulate.NonLensKind;
import org.jbia.common.array.ImageStack;
import org.jbia.common.array.Npy;
import org.jbia.common.schema.AugmentSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands that need no running services, as a user types them. */
class CommandLineTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Bia.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void inspectDescribesAnArray() throws Exception {
        ImageStack stack = ImageStack.zeros(2, 4, 4, 3);
        stack.pixels()[5] = Float.NaN;
        stack.pixels()[7] = 6f;
        Path file = dir.resolve("a.npy");
        Npy.write(stack, file);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream previous = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        try {
            assertThat(run("inspect", file.toString(), "--json")).isZero();
        } finally {
            System.setOut(previous);
        }
        String json = out.toString();
        assertThat(json).contains("\"shape\":[2,4,4,3]").contains("\"non_finite\":1").contains("\"max\":6.0");
    }

    @Test
    void inspectOfABadFileFailsNamingTheProblem() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.npy"), "ra,dec\n");
        assertThat(run("inspect", file.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("bia inspect: ").contains("notes.npy");
    }

    @Test
    void augmentationOptionsAreReadWithTheSeedsNames() {
        AugmentSpec spec = SpecOptions.augment("--augment-positive",
                "batch=25,image_size=67,width_shift=10,horizontal=true,zoom_range=0.9:1.1,mask_size=5");
        assertThat(spec.batch()).isEqualTo(25);
        assertThat(spec.imageSize()).isEqualTo(67);
        assertThat(spec.widthShift()).isEqualTo(10);
        assertThat(spec.horizontal()).isTrue();
        assertThat(spec.zoomRange()).containsExactly(0.9, 1.1);
        assertThat(spec.maskSize()).isEqualTo(5.0);
    }

    @Test
    void anUnknownAugmentationKeyIsNamed() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpecOptions.augment("--augment-positive", "batchh=3"))
                .hasMessageContaining("--augment-positive").hasMessageContaining("batchh")
                .hasMessageContaining("known keys: batch,");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpecOptions.augment("--augment-negative", "batch"))
                .hasMessageContaining("'batch' is not KEY=VALUE");
    }

    @Test
    void previewOfAFileWritesAPng() throws Exception {
        Path file = dir.resolve("b.npy");
        Npy.write(ImageStack.zeros(4, 8, 8, 3), file);
        Path png = dir.resolve("b.png");
        assertThat(run("preview", "--file", file.toString(), "--band", "all", "-o", png.toString())).isZero();
        assertThat(javax.imageio.ImageIO.read(png.toFile())).isNotNull();
        assertThat(run("preview", "--file", file.toString(), "--band", "red", "-o", png.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("--band red is not allowed");
    }

    @Test
    void simulateKindsLimitTheNonLensesToThoseNamed() {
        assertThat(run("simulate", "--lenses", "1", "--others", "3", "--size", "48", "--seed", "5",
                "--kinds", "STAR,DISK", dir.toString())).isZero();

        ImageStack others = Npy.read(dir.resolve("other.npy"));
        assertThat(others.shape()).containsExactly(3, 48, 48, 3);
        ImageStack expected = LensSimulator.simulate(0, 3, 5L, 48, 1,
                EnumSet.of(NonLensKind.STAR, NonLensKind.DISK)).others();
        assertThat(others).isEqualTo(expected);
        assertThat(others).isNotEqualTo(LensSimulator.simulate(0, 3, 5L, 48, 1).others());
    }

    @Test
    void simulateRefusesAnUnknownKindNamingItAndTheKnownOnes() {
        assertThat(run("simulate", "--kinds", "SPIRAL", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--kinds").contains("SPIRAL").contains("LONE_ELLIPTICAL")
                .contains("CROWDED_FIELD");
    }

    @Test
    void everyCommandExplainsItself() {
        StringWriter out = new StringWriter();
        CommandLine cli = Bia.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("--help")).isZero();
        for (String command : new String[] {"demo", "up", "status", "down", "train", "inspect", "simulate", "preview",
                "download", "bench"}) {
            assertThat(out.toString()).contains(command);
        }
    }
}
