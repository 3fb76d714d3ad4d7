package org.jbia.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import org.jbia.common.array.ImageStack;
import org.jbia.common.array.Npy;
import org.jbia.common.schema.InvalidSpecException;
import org.junit.jupiter.api.Test;

class LensSimulatorTest {

    @Test
    void sameSeedGivesIdenticalArrays() {
        Sample a = LensSimulator.simulate(3, 4, 42L, 100, 1);
        Sample b = LensSimulator.simulate(3, 4, 42L, 100, 1);
        assertThat(a.lenses()).isEqualTo(b.lenses());
        assertThat(a.others()).isEqualTo(b.others());
    }

    @Test
    void differentSeedsGiveDifferentArrays() {
        Sample a = LensSimulator.simulate(2, 2, 1L, 100, 1);
        Sample b = LensSimulator.simulate(2, 2, 2L, 100, 1);
        assertThat(a.lenses()).isNotEqualTo(b.lenses());
        assertThat(a.others()).isNotEqualTo(b.others());
    }

    @Test
    void theNumberOfThreadsDoesNotChangeTheResult() {
        Sample one = LensSimulator.simulate(3, 5, 7L, 64, 1);
        Sample four = LensSimulator.simulate(3, 5, 7L, 64, 4);
        assertThat(four.lenses()).isEqualTo(one.lenses());
        assertThat(four.others()).isEqualTo(one.others());
    }

    @Test
    void aSmallerSampleIsThePrefixOfALargerOne() {
        Sample small = LensSimulator.simulate(2, 3, 9L, 64, 1);
        Sample large = LensSimulator.simulate(4, 6, 9L, 64, 2);
        assertThat(large.lenses().slice(0, 2)).isEqualTo(small.lenses());
        assertThat(large.others().slice(0, 3)).isEqualTo(small.others());
    }

    @Test
    void shapesAreThoseAskedForAndValuesAreFinite() {
        Sample sample = LensSimulator.simulate(2, 5, 3L);
        assertThat(sample.lenses().shape()).containsExactly(2, 100, 100, 3);
        assertThat(sample.others().shape()).containsExactly(5, 100, 100, 3);
        assertFinite(sample.lenses());
        assertFinite(sample.others());

        Sample small = LensSimulator.simulate(1, 1, 3L, 48);
        assertThat(small.lenses().shape()).containsExactly(1, 48, 48, 3);
        assertThat(small.others().shape()).containsExactly(1, 48, 48, 3);
        assertFinite(small.lenses());
    }

    @Test
    void arcsMustShowForALensToBeKept() {
        int size = 100;
        int kept = 0;
        for (int i = 0; i < 12; i++) {
            LensSimulator.LensRender render = LensSimulator.renderLens(LensSimulator.imageSeed(23L, 1, i), size);
            // The same cutout without its arcs is never detectable: the criterion looks at arc light only.
            LensSimulator.LensRender noArcs = new LensSimulator.LensRender(render.deflectorOnly(),
                    render.deflectorOnly(), render.mass(), render.magnification());
            assertThat(LensSimulator.detectable(noArcs, size)).as("lens %d without its arcs", i).isFalse();
            if (LensSimulator.detectable(render, size)) {
                kept++;
            }
        }
        // Most first draws show their arcs; the others are drawn again.
        assertThat(kept).isBetween(6, 12);
    }

    @Test
    void emptyClassesAreAllowed() {
        Sample sample = LensSimulator.simulate(0, 2, 3L, 64, 1);
        assertThat(sample.lenses().count()).isZero();
        assertThat(sample.others().count()).isEqualTo(2);
    }

    @Test
    void badArgumentsAreRefusedNamingEachOne() {
        assertThatThrownBy(() -> LensSimulator.simulate(-1, -2, 1L, 10, 0))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("lenses = -1")
                .hasMessageContaining("others = -2")
                .hasMessageContaining("it must be >= 0")
                .hasMessageContaining("size = 10")
                .hasMessageContaining("[32.0, 1024.0]")
                .hasMessageContaining("threads = 0");
    }

    @Test
    void noKindOfNonLensIsRefused() {
        assertThatThrownBy(() -> LensSimulator.simulate(1, 1, 1L, 64, 1, EnumSet.noneOf(NonLensKind.class)))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("kinds = []")
                .hasMessageContaining("name at least one of [LONE_ELLIPTICAL, ELLIPTICAL_WITH_COMPANIONS, DISK, STAR, "
                        + "CROWDED_FIELD]");
    }

    @Test
    void aSampleTooLargeForOneArrayIsRefusedBeforeAnyWork() {
        assertThatThrownBy(() -> LensSimulator.simulate(1, 100_000, 1L, 1024, 1))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("others = 100000")
                .hasMessageContaining("one array holds at most 682 images of 1024x1024x3");
    }

    /**
     * The arcs: the light the source adds lies mostly on an annulus about the Einstein radius. Sources
     * are drawn within half an Einstein radius of the lens axis, so their images lie between 0.5 and
     * 1.5 Einstein radii, widened by the source's size and the PSF.
     */
    @Test
    void lensedLightLiesAroundTheEinsteinRadius() {
        int size = 100;
        for (int i = 0; i < 8; i++) {
            LensSimulator.LensRender render = LensSimulator.renderLens(LensSimulator.imageSeed(11L, 1, i), size);
            SieLens mass = render.mass();
            double ring = mass.einsteinRadius();
            double inAnnulus = 0;
            double everywhere = 0;
            double deflectorInAnnulus = 0;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int k = (y * size + x) * 3; // g band
                    double added = render.lens()[k] - render.deflectorOnly()[k];
                    double r = Math.hypot(x - mass.x(), y - mass.y());
                    everywhere += added;
                    if (r > 0.5 * ring - 3 && r < 1.5 * ring + 3) {
                        inAnnulus += added;
                        deflectorInAnnulus += render.deflectorOnly()[k];
                    }
                }
            }
            assertThat(everywhere).as("lens %d adds light", i).isGreaterThan(SceneSampler.ARC_FLUX_MIN * 0.8);
            assertThat(inAnnulus / everywhere).as("lens %d: share of the arcs' light near the Einstein radius", i)
                    .isGreaterThan(0.75);
            // And it shows: the annulus is brighter with the source than the same deflector without it.
            assertThat(deflectorInAnnulus + inAnnulus).isGreaterThan(deflectorInAnnulus * 1.05);
        }
    }

    /** Blue source behind a red deflector: g/i of the added light is well above that of the deflector. */
    @Test
    void theSourceIsBluerThanTheDeflector() {
        int size = 100;
        for (int i = 0; i < 6; i++) {
            LensSimulator.LensRender render = LensSimulator.renderLens(LensSimulator.imageSeed(5L, 1, i), size);
            SieLens mass = render.mass();
            double[] source = new double[3];
            double[] deflector = new double[3];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    for (int b = 0; b < 3; b++) {
                        int k = (y * size + x) * 3 + b;
                        source[b] += render.lens()[k] - render.deflectorOnly()[k];
                        if (Math.hypot(x - mass.x(), y - mass.y()) < 4) {
                            deflector[b] += render.deflectorOnly()[k];
                        }
                    }
                }
            }
            double sourceGi = source[0] / source[2];
            double deflectorGi = deflector[0] / deflector[2];
            assertThat(sourceGi).as("lens %d: g/i of source %.2f vs deflector %.2f", i, sourceGi, deflectorGi)
                    .isGreaterThan(2 * deflectorGi);
        }
    }

    /** Loose realism check against the 20 real lenses: per-band median and 99th percentile within 10x. */
    @Test
    void pixelStatisticsAreComparableToTheRealLenses() {
        ImageStack real = Npy.read(Path.of(System.getProperty("bia.project.root", "."), "..", "shared", "data",
                "lenses.npy"));
        ImageStack simulated = LensSimulator.simulate(20, 0, 2024L, 100).lenses();
        for (int b = 0; b < 3; b++) {
            double[] realStats = {percentile(real, b, 50), percentile(real, b, 99)};
            double[] simStats = {percentile(simulated, b, 50), percentile(simulated, b, 99)};
            for (int s = 0; s < 2; s++) {
                assertThat(simStats[s]).as("band %s, %s percentile: simulated %.3f, real %.3f",
                        LensSimulator.BANDS.get(b), s == 0 ? "50th" : "99th", simStats[s], realStats[s])
                        .isBetween(realStats[s] / 10, realStats[s] * 10);
            }
        }
    }

    static double percentile(ImageStack stack, int band, double p) {
        int n = stack.count() * stack.height() * stack.width();
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = stack.pixels()[i * stack.bands() + band];
        }
        Arrays.sort(values);
        return values[(int) Math.min(n - 1, Math.floor(p / 100 * n))];
    }

    private static void assertFinite(ImageStack stack) {
        for (float v : stack.pixels()) {
            if (!Float.isFinite(v)) {
                throw new AssertionError("non-finite pixel " + v + " in " + stack);
            }
        }
    }
}
