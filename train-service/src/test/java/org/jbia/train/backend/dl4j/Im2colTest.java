package org.jbia.train.backend.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jbia.train.backend.dl4j.HostFloats.Images;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** jBIA's im2col against libnd4j's, element for element, padding included. */
class Im2colTest {

    @ParameterizedTest(name = "{0} channels, {1}x{2}, kernel {3}, stride {4}, pad {5} {6}, out {7}x{8}")
    @CsvSource({
            // ResNet-18's stem at 67 px: 7x7/2, 'same' pads 3 before
            "3, 67, 67, 7, 2, 3, 3, 34, 34",
            // 3x3/1 on 3x3 maps, pad 1 either side
            "5, 3, 3, 3, 1, 1, 1, 3, 3",
            // 13 px, kernel 4, stride 2: 'same' pads 1 before (and 2 after)
            "2, 13, 13, 4, 2, 1, 1, 7, 7",
            // non-square, stride 3, kernel larger than the stride, no padding before
            "1, 5, 11, 3, 3, 0, 0, 2, 4"})
    void columnsAreLibnd4jsIm2col(int channels, int height, int width, int kernel, int stride, int padTop,
                                  int padLeft, int outHeight, int outWidth) {
        Dl4jBackend.instance();
        Nd4j.getRandom().setSeed(3);
        INDArray images = Nd4j.rand(DataType.FLOAT, 3, channels, height, width).subi(0.5);
        long[] shape = {3, channels, kernel, kernel, outHeight, outWidth};
        INDArray expected = Nd4j.create(DataType.FLOAT, shape);
        Nd4j.exec(DynamicCustomOp.builder("im2col").addInputs(images).addOutputs(expected)
                .addIntegerArguments(kernel, kernel, stride, stride, padTop, padLeft, 1, 1, 1)
                .addFloatingPointArguments(0.0).build());
        INDArray actual = Nd4j.valueArrayOf(shape, Float.NaN, DataType.FLOAT);
        new Im2col(channels, height, width, kernel, kernel, stride, stride, padTop, padLeft, outHeight, outWidth)
                .columns(Images.of(images), Images.of(actual));
        assertThat(actual.ravel().toFloatVector()).containsExactly(expected.ravel().toFloatVector());
        assertThat(actual.ravel().toFloatVector()).contains(0f); // the padding is written, not left as NaN
    }

    @Test
    void columnsOfTheWrongSizeAreRefused() {
        Dl4jBackend.instance();
        Im2col im2col = new Im2col(2, 4, 4, 3, 3, 1, 1, 1, 1, 4, 4);
        INDArray images = Nd4j.create(DataType.FLOAT, 1, 2, 4, 4);
        INDArray columns = Nd4j.create(DataType.FLOAT, 1, 2, 3, 3, 4, 3);
        assertThatThrownBy(() -> im2col.columns(Images.of(images), Images.of(columns)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("into 216").hasMessageContaining("2×4×4 with a 3×3 kernel onto 4×4");
    }
}
