package org.jbia.train.backend.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbia.train.backend.dl4j.GraphChecks.assertClose;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * oneDNN 2.5's pooling of plain N×C×H×W arrays through blocked copies, forward and backward, against pooling
 * written out by hand: TensorFlow's 'same' padding (half before, the odd pixel after), padded cells left out
 * of the average, and a max pooling's gradient sent to the maximum.
 */
class DnnlPoolingTest {

    @ParameterizedTest(name = "{0} {1}x{2}x{3}x{3}, window {4}, stride {5}")
    @CsvSource({
            // AlexNet's first pool at 67 px: 17 → 9
            "true, 2, 16, 17, 3, 2",
            "false, 2, 16, 17, 3, 2",
            // an even window: 'same' pads only after
            "true, 3, 32, 5, 2, 2",
            "false, 1, 48, 6, 3, 1"})
    void plainArraysPoolAsWrittenOut(boolean max, int images, int channels, int size, int window, int stride) {
        Dl4jBackend.instance();
        assumeTrue(ChannelBlocks.layout() != null, "oneDNN 2.5's blocked kernels run here");
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, images, channels, size, size).subi(0.5);
        long[] shape = x.shape();
        try (DnnlPooling p = DnnlPooling.forPlainShape(shape, max, window, stride)) {
            assertThat(p).isNotNull();
            int out = (size + stride - 1) / stride;
            assertThat(p.outputDims()).containsExactly(images, channels, out, out);
            int pad = Math.max((out - 1) * stride + window - size, 0) / 2;

            INDArray y = Nd4j.valueArrayOf(p.outputDims(), Float.NaN, DataType.FLOAT);
            p.forward(x, y);
            INDArray dy = Nd4j.rand(DataType.FLOAT, p.outputDims()).subi(0.5);
            INDArray dx = Nd4j.valueArrayOf(shape, Float.NaN, DataType.FLOAT);
            p.backward(dy, dx);

            INDArray yExpected = Nd4j.create(DataType.FLOAT, p.outputDims());
            INDArray dxExpected = Nd4j.zeros(DataType.FLOAT, shape);
            for (int n = 0; n < images; n++) {
                for (int c = 0; c < channels; c++) {
                    for (int oy = 0; oy < out; oy++) {
                        for (int ox = 0; ox < out; ox++) {
                            double sum = 0;
                            int cells = 0;
                            double best = Double.NEGATIVE_INFINITY;
                            int by = -1;
                            int bx = -1;
                            for (int yy = oy * stride - pad; yy < oy * stride - pad + window; yy++) {
                                for (int xx = ox * stride - pad; xx < ox * stride - pad + window; xx++) {
                                    if (yy < 0 || yy >= size || xx < 0 || xx >= size) {
                                        continue;
                                    }
                                    double v = x.getDouble(n, c, yy, xx);
                                    sum += v;
                                    cells++;
                                    if (v > best) {
                                        best = v;
                                        by = yy;
                                        bx = xx;
                                    }
                                }
                            }
                            double g = dy.getDouble(n, c, oy, ox);
                            yExpected.putScalar(new long[] {n, c, oy, ox}, max ? best : sum / cells);
                            if (max) {
                                long[] at = {n, c, by, bx};
                                dxExpected.putScalar(at, dxExpected.getDouble(at) + g);
                            } else {
                                for (int yy = Math.max(oy * stride - pad, 0);
                                     yy < Math.min(oy * stride - pad + window, size); yy++) {
                                    for (int xx = Math.max(ox * stride - pad, 0);
                                         xx < Math.min(ox * stride - pad + window, size); xx++) {
                                        long[] at = {n, c, yy, xx};
                                        dxExpected.putScalar(at, dxExpected.getDouble(at) + g / cells);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            assertClose("output", y, yExpected);
            assertClose("input gradient", dx, dxExpected);
        }
    }

    @ParameterizedTest(name = "{0} channels")
    @CsvSource({"20", "8"})
    void plainArraysWhoseChannelsDoNotFillBlocksStayWithDl4j(int channels) {
        assertThat(DnnlPooling.forPlainShape(new long[] {2, channels, 9, 9}, true, 3, 2)).isNull();
    }
}
