package org.jbia.optimize.study;

import java.util.ArrayList;
import java.util.List;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.Problems;

/**
 * pyBIA's CNN "cross-validation" (spec §5.6): fold 1 is the given split; fold j (j = 2 … opt_cv)
 * starts again from the original sets and swaps the validation images with the training block
 * [(j−2)·v, (j−1)·v), v = the number of validation images, for each class that has validation data.
 * A deterministic rotation with no shuffling, as pyBIA's.
 */
public final class Folds {

    /** The training and validation images of one class in one fold. */
    public record Split(ImageStack train, ImageStack validation) {
    }

    private Folds() {
    }

    /** Every fold of one class; a class without validation images keeps its training set in each. */
    public static List<Split> rotate(ImageStack train, ImageStack validation, int folds) {
        List<Split> out = new ArrayList<>();
        out.add(new Split(train, validation));
        for (int k = 0; k < folds - 1; k++) {
            if (validation == null) {
                out.add(new Split(train, null));
                continue;
            }
            int v = validation.count();
            ImageStack block = train.slice(k * v, (k + 1) * v);
            ImageStack rotated = train.slice(0, k * v).concat(validation).concat(train.slice((k + 1) * v, train.count()));
            out.add(new Split(rotated, block));
        }
        return out;
    }

    /**
     * opt_cv's needs: validation data, and for each class that has some, at least (opt_cv − 1)
     * validation-sized blocks in its training set.
     */
    public static Problems problems(int folds, int positives, Integer valPositives, int negatives,
                                    Integer valNegatives) {
        Problems p = new Problems();
        if (valPositives == null && valNegatives == null) {
            p.add("optimize.opt_cv", folds, "it rotates the validation data through the training data, and none was "
                    + "given: upload val_positive and/or val_negative, or leave opt_cv out");
            return p;
        }
        check(p, folds, "positive", positives, valPositives);
        check(p, folds, "negative", negatives, valNegatives);
        return p;
    }

    private static void check(Problems p, int folds, String set, int train, Integer validation) {
        if (validation != null && (long) validation * (folds - 1) > train) {
            p.add("optimize.opt_cv", folds, "with " + validation + " val_" + set + " images, " + (folds - 1)
                    + " rotations need " + (long) validation * (folds - 1) + " " + set + " training images and there are "
                    + train + "; at most " + (1 + train / Math.max(1, validation)) + " folds");
        }
    }
}
