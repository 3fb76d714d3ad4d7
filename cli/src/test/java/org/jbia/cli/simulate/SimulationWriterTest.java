package org.jbia.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.jbia.common.array.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationWriterTest {

    @Test
    void writesLensesAndOtherAsTheExampleNamesThem(@TempDir Path dir) {
        Sample sample = LensSimulator.simulate(2, 3, 8L, 40, 1);
        List<Path> written = SimulationWriter.write(sample, dir.resolve("new/sub"));
        assertThat(written).containsExactly(dir.resolve("new/sub/lenses.npy"), dir.resolve("new/sub/other.npy"));
        assertThat(Npy.read(written.get(0))).isEqualTo(sample.lenses());
        assertThat(Npy.read(written.get(1))).isEqualTo(sample.others());
    }
}
