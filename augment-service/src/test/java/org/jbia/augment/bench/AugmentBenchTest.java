package org.jbia.augment.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.jbia.augment.engine.Augmenter;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.AugmentSpec;
import org.junit.jupiter.api.Test;

/** The benchmark measures the pipeline on the peer's kind of data. */
class AugmentBenchTest {

    @Test
    void pipelineIsTheLensExamplesGeometry() {
        AugmentSpec s = AugmentBench.LENS_GEOMETRY;
        assertThat(s.batch()).isEqualTo(1);
        assertThat(s.widthShift()).isEqualTo(10);
        assertThat(s.heightShift()).isEqualTo(10);
        assertThat(s.horizontal() && s.vertical() && s.rotation()).isTrue();
        assertThat(s.zoomRange()).containsExactly(0.9, 1.1);
        assertThat(s.imageSize()).isEqualTo(67);
        assertThat(s.maskSize()).isEqualTo(2.5);
        assertThat(s.numMasks()).isEqualTo(1);
        assertThat(s.blendMultiplier()).isZero();
        assertThat(s.skewAngle()).isZero();
    }

    @Test
    void imagesAreLikeThePeers() {
        ImageStack images = AugmentBench.randomImages(20, 3L);
        assertThat(images.shape()).containsExactly(20, 100, 100, 3);
        double sum = 0;
        double squares = 0;
        for (float v : images.pixels()) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / images.pixels().length;
        assertThat(mean).isCloseTo(5, within(0.05));
        assertThat(Math.sqrt(squares / images.pixels().length - mean * mean)).isCloseTo(3, within(0.05));
        assertThat(Augmenter.augment(images, AugmentBench.LENS_GEOMETRY, 1L, 2).shape())
                .containsExactly(20, 67, 67, 3);
    }
}
