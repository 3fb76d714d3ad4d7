package org.jbia.common.schema.study;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import org.jbia.common.schema.AugmentSpec;
import org.jbia.common.schema.Problems;
import org.jbia.common.schema.TrainSpec;

/**
 * A study, pyBIA's {@code create()} with {@code optimize=True}: {@code optimize.n_iter} trials, each an
 * augment+train job with sampled values, then a final fit with the best values.
 *
 * @param augmentPositive a fixed augmentation of the positives for every trial, only without opt_aug
 *                        (with opt_aug the augmentation comes from the optimize fields)
 * @param augmentNegative the same for the negatives
 * @param train           the untuned settings (network, normalisation, loss when opt_model is off, ...);
 *                        its epochs, patience and metric are replaced by optimize's
 * @param optimize        what is tuned and how trials are scored
 * @param seed            every random draw (sampler, augmentation, training) derives from it; chosen and
 *                        recorded when absent
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StudySpec(String name, AugmentSpec augmentPositive, AugmentSpec augmentNegative, TrainSpec train,
                        OptimizeSpec optimize, Long seed) {

    public StudySpec {
        train = train == null ? TrainSpec.defaults() : train;
        optimize = optimize == null ? OptimizeSpec.defaults() : optimize;
    }

    public StudySpec withSeed(long newSeed) {
        return new StudySpec(name, augmentPositive, augmentNegative, train, optimize, newSeed);
    }

    /** Every problem that can be seen without the data. */
    public Problems problems() {
        Problems p = new Problems();
        p.addAll(train.problems().messages());
        p.addAll(optimize.problems().messages());
        if (augmentPositive != null) {
            p.addAll(augmentPositive.problems("augment_positive.").messages());
        }
        if (augmentNegative != null) {
            p.addAll(augmentNegative.problems("augment_negative.").messages());
        }
        if (optimize.optAug() && (augmentPositive != null || augmentNegative != null)) {
            p.addMessage((augmentPositive != null ? "augment_positive" : "augment_negative") + " is not allowed with "
                    + "optimize.opt_aug = true: the augmentation is then tuned from the optimize fields (shift, "
                    + "rotation, zoom_range, ...); leave augment_positive and augment_negative out");
        }
        return p;
    }
}
