package org.jbia.train.backend.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What the DL4J layer tests share: a seeded batch of 13×13×3 images and labels, and float comparisons. */
final class GraphChecks {
    /** The largest difference allowed, relative to the largest expected value. */
    static final double RELATIVE = 1e-4;

    private GraphChecks() {
    }

    /** {@code n} images of 3×13×13 pixels in [0, 2) and 0/1 labels, the same for every call. */
    static INDArray[] batch(int n) {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, 3, 13, 13).muli(2);
        INDArray y = Nd4j.rand(DataType.FLOAT, n, 1).gt(0.5).castTo(DataType.FLOAT);
        return new INDArray[] {x, y};
    }

    /** max |actual − expected| ≤ {@link #RELATIVE} · max |expected|. */
    static void assertClose(String what, INDArray actual, INDArray expected) {
        double scale = expected.amaxNumber().doubleValue();
        double diff = actual.sub(expected).amaxNumber().doubleValue();
        assertThat(diff).as("%s: max |difference| %s against max |value| %s", what, diff, scale)
                .isLessThanOrEqualTo(RELATIVE * Math.max(scale, 1e-6));
    }
}
