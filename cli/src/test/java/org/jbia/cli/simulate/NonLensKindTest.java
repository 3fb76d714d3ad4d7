package org.jbia.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NonLensKindTest {

    @Test
    void theSharesMakeAWholeAndAreDrawnAsDocumented() {
        double sum = 0;
        for (NonLensKind kind : NonLensKind.values()) {
            sum += kind.fraction();
        }
        assertThat(sum).isCloseTo(1, within(1e-12));

        Map<NonLensKind, Integer> counts = new EnumMap<>(NonLensKind.class);
        SplittableRandom rng = new SplittableRandom(3);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            counts.merge(NonLensKind.at(rng.nextDouble()), 1, Integer::sum);
        }
        for (NonLensKind kind : NonLensKind.values()) {
            assertThat(counts.get(kind) / (double) n).as(kind.name()).isCloseTo(kind.fraction(), within(0.015));
        }
    }
}
