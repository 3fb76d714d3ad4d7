package org.jbia.optimize.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jbia.common.array.ImageStack;
import org.junit.jupiter.api.Test;

class FoldsTest {

    /** n one-pixel images whose value is their index plus {@code offset}. */
    static ImageStack numbered(int n, int offset) {
        float[] px = new float[n];
        for (int i = 0; i < n; i++) {
            px[i] = i + offset;
        }
        return new ImageStack(n, 1, 1, 1, px);
    }

    private static float[] values(ImageStack s) {
        return s.pixels();
    }

    @Test
    void eachFoldSwapsTheValidationSetWithTheNextTrainingBlock() {
        // pyBIA's docs: 5 lenses = 4 train + 1 val with opt_cv = 5 is leave-one-out.
        List<Folds.Split> folds = Folds.rotate(numbered(4, 0), numbered(1, 100), 5);
        assertThat(folds).hasSize(5);
        assertThat(values(folds.get(0).train())).containsExactly(0, 1, 2, 3);
        assertThat(values(folds.get(0).validation())).containsExactly(100);
        assertThat(values(folds.get(1).train())).containsExactly(100, 1, 2, 3);
        assertThat(values(folds.get(1).validation())).containsExactly(0);
        assertThat(values(folds.get(4).train())).containsExactly(0, 1, 2, 100);
        assertThat(values(folds.get(4).validation())).containsExactly(3);
    }

    @Test
    void blocksAreAsLargeAsTheValidationSet() {
        List<Folds.Split> folds = Folds.rotate(numbered(6, 0), numbered(2, 100), 3);
        assertThat(values(folds.get(2).train())).containsExactly(0, 1, 100, 101, 4, 5);
        assertThat(values(folds.get(2).validation())).containsExactly(2, 3);
    }

    @Test
    void aClassWithoutValidationKeepsItsTrainingSet() {
        ImageStack train = numbered(3, 0);
        assertThat(Folds.rotate(train, null, 3)).allSatisfy(s -> {
            assertThat(s.train()).isEqualTo(train);
            assertThat(s.validation()).isNull();
        });
    }

    @Test
    void optCvNeedsValidationDataAndEnoughTrainingImages() {
        assertThat(Folds.problems(5, 4, null, 50, null).messages()).containsExactly("optimize.opt_cv = 5 is not "
                + "allowed: it rotates the validation data through the training data, and none was given: upload "
                + "val_positive and/or val_negative, or leave opt_cv out");
        assertThat(Folds.problems(5, 3, 1, 50, null).messages()).containsExactly("optimize.opt_cv = 5 is not allowed: "
                + "with 1 val_positive images, 4 rotations need 4 positive training images and there are 3; at most 4 "
                + "folds");
        assertThat(Folds.problems(5, 4, 1, 30, 10).messages()).containsExactly("optimize.opt_cv = 5 is not allowed: "
                + "with 10 val_negative images, 4 rotations need 40 negative training images and there are 30; at most "
                + "4 folds");
        assertThat(Folds.problems(5, 4, 1, 40, 10).isEmpty()).isTrue();
    }
}
