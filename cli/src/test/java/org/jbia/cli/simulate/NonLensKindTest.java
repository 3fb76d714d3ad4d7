package org.jbia.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumMap;
import java.util.EnumSet;
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

    @Test
    void aSubsetOfKindsKeepsTheirRelativeShares() {
        Map<NonLensKind, Integer> counts = new EnumMap<>(NonLensKind.class);
        SplittableRandom rng = new SplittableRandom(4);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            counts.merge(NonLensKind.at(rng.nextDouble(), EnumSet.of(NonLensKind.STAR, NonLensKind.DISK)), 1,
                    Integer::sum);
        }
        assertThat(counts).containsOnlyKeys(NonLensKind.STAR, NonLensKind.DISK);
        double disk = NonLensKind.DISK.fraction() / (NonLensKind.DISK.fraction() + NonLensKind.STAR.fraction());
        assertThat(counts.get(NonLensKind.DISK) / (double) n).isCloseTo(disk, within(0.015));
        assertThat(NonLensKind.at(0.999_999_999, EnumSet.of(NonLensKind.STAR))).isEqualTo(NonLensKind.STAR);
    }
}
