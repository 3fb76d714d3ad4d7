package org.jbia.train.backend.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Reading and writing ND4J's arrays from Java, in place where the layout allows it. */
class HostFloatsTest {

    /** A rank-1 view into a flat array, as DL4J hands out parameters and their gradients. */
    private static INDArray vectorView(INDArray flat, long from, long to) {
        return flat.get(NDArrayIndex.interval(from, to));
    }

    @Test
    void rankOneViewsAreUsedInPlaceWhateverTheirOrderFlag() {
        Dl4jBackend.instance();
        INDArray flat = Nd4j.arange(0, 10).castTo(DataType.FLOAT);
        INDArray view = vectorView(flat, 3, 7);
        INDArray fFlat = Nd4j.create(DataType.FLOAT, new long[] {10}, 'f').assign(flat);
        INDArray fOrdered = vectorView(fFlat, 3, 7);
        assertThat(fOrdered.ordering()).as("DL4J's rank-1 views are flagged 'f'").isEqualTo('f');

        for (INDArray v : new INDArray[] {view, fOrdered}) {
            assertThat(HostFloats.isDenseC(v)).isTrue();
            assertThat(HostFloats.dense(v)).as("no copy").isSameAs(v);
            assertThat(HostFloats.read(v)).containsExactly(3f, 4f, 5f, 6f);
        }

        INDArray rowView = Nd4j.create(DataType.FLOAT, new long[] {1, 10}, 'f').assign(flat.reshape(1, 10))
                .get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(3, 7));
        assertThat(rowView.ordering()).isEqualTo('f');
        assertThat(rowView.shape()).containsExactly(1, 4);
        assertThat(HostFloats.isDenseC(rowView)).as("a [1, n] row, as older bundles' views are").isTrue();
        assertThat(HostFloats.read(rowView)).containsExactly(3f, 4f, 5f, 6f);

        HostFloats.write(new float[] {-1, -2, -3, -4}, fOrdered);
        assertThat(HostFloats.read(fFlat)).containsExactly(0f, 1f, 2f, -1f, -2f, -3f, -4f, 7f, 8f, 9f);
    }

    @Test
    void stridedViewsAreCopiedAndRefusedAsTargets() {
        Dl4jBackend.instance();
        INDArray flat = Nd4j.arange(0, 10).castTo(DataType.FLOAT);
        INDArray everyOther = flat.get(NDArrayIndex.interval(0, 2, 10));
        assertThat(HostFloats.isDenseC(everyOther)).isFalse();
        assertThat(HostFloats.read(everyOther)).containsExactly(0f, 2f, 4f, 6f, 8f);
        assertThatThrownBy(() -> HostFloats.write(new float[5], everyOther))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dense C-order float array of 5 elements");
    }

    @Test
    void columnsOfAMatrixAreNotDense() {
        Dl4jBackend.instance();
        INDArray m = Nd4j.arange(0, 12).castTo(DataType.FLOAT).reshape('c', 3, 4);
        INDArray column = m.getColumn(1);
        assertThat(HostFloats.isDenseC(column)).isFalse();
        assertThat(HostFloats.read(column)).containsExactly(1f, 5f, 9f);
    }
}
