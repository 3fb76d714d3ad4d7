package org.jbia.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import org.jbia.cli.Bia;
import org.jbia.cli.simulate.LensSimulator;
import org.jbia.cli.simulate.NonLensKind;
import org.jbia.common.array.ImageStack;
import org.jbia.common.array.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Bia.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void kindsLimitTheNonLensesToThoseNamed() {
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
    void anUnknownKindIsRefusedNamingItAndTheKnownOnes() {
        assertThat(run("simulate", "--kinds", "SPIRAL", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--kinds").contains("SPIRAL").contains("LONE_ELLIPTICAL")
                .contains("CROWDED_FIELD");
    }
}
