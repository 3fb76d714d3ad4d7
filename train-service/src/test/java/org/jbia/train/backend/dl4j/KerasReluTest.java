package org.jbia.train.backend.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** jBIA's ReLU against DL4J's, on values either side of zero and at zero itself. */
class KerasReluTest {
    private static final float[] X = {-2.5f, -0f, 0f, 1e-30f, 3f, -1e-30f, 7.25f, -4f};
    private static final float[] G = {0.5f, 1f, -2f, 3f, -4f, 5f, 0.25f, 6f};

    /** Equal as numbers: −0 and +0 alike (a zero gradient times a negative value is −0). */
    private static final Comparator<Float> SIGNLESS = (a, b) -> Float.compare(a + 0f, b + 0f);

    private static INDArray x() {
        return Nd4j.createFromArray(X).reshape(2, 1, 2, 2);
    }

    @Test
    void activationsAreDl4jsReLU() {
        Dl4jBackend.instance();
        INDArray ours = new KerasRelu().getActivation(x(), true);
        INDArray theirs = new ActivationReLU().getActivation(x(), true);
        assertThat(ours.ravel().toFloatVector()).usingElementComparator(SIGNLESS)
                .containsExactly(theirs.ravel().toFloatVector());
        assertThat(ours.ravel().toFloatVector()).usingElementComparator(SIGNLESS).containsExactly(0, 0, 0, 1e-30f, 3, 0, 7.25f, 0);
    }

    @Test
    void gradientPassesOnlyWherePositive() {
        Dl4jBackend.instance();
        INDArray g = Nd4j.createFromArray(G).reshape(2, 1, 2, 2);
        INDArray ours = new KerasRelu().backprop(x(), g).getFirst();
        INDArray theirs = new ActivationReLU().backprop(x(), g.dup()).getFirst();
        assertThat(ours.ravel().toFloatVector()).usingElementComparator(SIGNLESS).containsExactly(0, 0, 0, 3, -4, 0, 0.25f, 0);
        assertThat(ours.ravel().toFloatVector()).usingElementComparator(SIGNLESS)
                .containsExactly(theirs.ravel().toFloatVector());
        assertThat(g.ravel().toFloatVector()).as("the incoming gradient is left as it was").containsExactly(G);
    }
}
