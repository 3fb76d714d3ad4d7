package org.jbia.train.backend.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * oneDNN 2.5's convolutions against libnd4j's conv2d and conv2d_bp ops ('same' padding as TensorFlow), on
 * 16-channel blocked layouts and on plain ones, forward and every gradient.
 */
class DnnlConvolutionTest {
    private static final double RELATIVE = 1e-4;

    @ParameterizedTest(name = "{0} images, {1} channels, {2}x{2}, {3} filters, kernel {4}, stride {5}, bias {6}")
    @CsvSource({
            // ResNet's stem: three plain channels in, blocked out; no input gradient (oneDNN has only its
            // reference kernel for it)
            "2, 3, 21, 16, 7, 2, false, false",
            // blocked in and out, with a bias
            "2, 16, 9, 32, 3, 1, true, true",
            // stride 2 onto an even size: 'same' pads nothing before and one pixel after
            "2, 16, 8, 32, 3, 2, false, true",
            // ResNet's 1x1/2 shortcut onto an even size: the stride leaves the last row and column unread
            "2, 32, 8, 16, 1, 2, false, true",
            // channel counts that do not fill 16-channel blocks: plain layouts
            "3, 20, 6, 24, 3, 1, true, true",
            // 3x3 maps, as ResNet-18's last stage at 67 px
            "2, 64, 3, 64, 3, 1, false, true"})
    void forwardAndGradientsMatchLibnd4j(int images, int channels, int size, int filters, int kernel, int stride,
                                         boolean bias, boolean inputGradient) {
        Dl4jBackend.instance();
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
                "oneDNN 2.5's natives ship for Linux x86-64 only");
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.FLOAT, images, channels, size, size).subi(0.5);
        INDArray w = Nd4j.rand(DataType.FLOAT, filters, channels, kernel, kernel).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, filters).subi(0.5);
        var g = DnnlConvolution.Geometry.same(images, channels, size, size, filters, kernel, kernel, stride, stride,
                bias);
        DnnlConvolution conv = DnnlConvolution.forGeometry(g);
        assertThat(conv).as("oneDNN 2.5 convolution for %s", g).isNotNull();

        INDArray expected = Nd4j.create(DataType.FLOAT, g.outputDims());
        var forward = DynamicCustomOp.builder("conv2d").addOutputs(expected).addIntegerArguments(
                kernel, kernel, stride, stride, 0, 0, 1, 1, 1, 0, 1);
        forward = bias ? forward.addInputs(x, w, b) : forward.addInputs(x, w);
        Nd4j.exec(forward.build());
        INDArray z = Nd4j.valueArrayOf(g.outputDims(), Float.NaN, DataType.FLOAT);
        conv.forward(x, w, bias ? b : null, z);
        assertClose("output", z, expected);

        INDArray dz = Nd4j.rand(DataType.FLOAT, g.outputDims()).subi(0.5);
        INDArray dxExpected = x.ulike();
        INDArray dwExpected = w.ulike();
        INDArray dbExpected = b.ulike();
        var backward = DynamicCustomOp.builder("conv2d_bp").addIntegerArguments(
                kernel, kernel, stride, stride, 0, 0, 1, 1, 1, 0, 1);
        backward = bias ? backward.addInputs(x, w, b, dz).addOutputs(dxExpected, dwExpected, dbExpected)
                : backward.addInputs(x, w, dz).addOutputs(dxExpected, dwExpected);
        Nd4j.exec(backward.build());

        assertThat(conv.backwardAvailable(false)).as("weight gradient available").isTrue();
        assertThat(conv.backwardAvailable(true)).as("input gradient available").isEqualTo(inputGradient);
        INDArray dx = inputGradient ? Nd4j.valueArrayOf(x.shape(), Float.NaN, DataType.FLOAT) : null;
        INDArray dw = Nd4j.valueArrayOf(w.shape(), Float.NaN, DataType.FLOAT);
        INDArray db = bias ? Nd4j.valueArrayOf(b.shape(), Float.NaN, DataType.FLOAT) : null;
        conv.backward(x, w, dz, dx, dw, db);
        assertClose("weight gradient", dw, dwExpected);
        if (bias) {
            assertClose("bias gradient", db, dbExpected);
        }
        if (inputGradient) {
            assertClose("input gradient", dx, dxExpected);
        }
        // a second call reuses the primitives and the per-thread buffers, and gives the same results
        INDArray again = Nd4j.valueArrayOf(g.outputDims(), Float.NaN, DataType.FLOAT);
        conv.forward(x, w, bias ? b : null, again);
        assertThat(again.equalsWithEps(z, 0)).as("second forward pass").isTrue();
        conv.close();
    }

    private static void assertClose(String what, INDArray actual, INDArray expected) {
        double scale = expected.amaxNumber().doubleValue();
        double diff = actual.sub(expected).amaxNumber().doubleValue();
        assertThat(diff).as("%s: max |difference| %s against max |value| %s", what, diff, scale)
                .isLessThanOrEqualTo(RELATIVE * Math.max(scale, 1e-6));
    }
}
