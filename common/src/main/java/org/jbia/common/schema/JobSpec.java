package org.jbia.common.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One job, pyBIA's {@code Classifier(...).create()}: how to augment each class (null leaves it as
 * given, as pyBIA does without {@code augment_positive}/{@code augment_negative}), how to train,
 * and the seed every random draw derives from (chosen and recorded when absent).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSpec(String name, AugmentSpec augmentPositive, AugmentSpec augmentNegative, TrainSpec train,
                      Long seed) {

    public JobSpec {
        train = train == null ? TrainSpec.defaults() : train;
    }

    public JobSpec withSeed(long newSeed) {
        return new JobSpec(name, augmentPositive, augmentNegative, train, newSeed);
    }

    public boolean augments() {
        return augmentPositive != null || augmentNegative != null;
    }

    /** Every problem that can be seen without the data. */
    public Problems problems() {
        Problems p = new Problems();
        if (augmentPositive != null) {
            p.addAll(augmentPositive.problems("augment_positive.").messages());
        }
        if (augmentNegative != null) {
            p.addAll(augmentNegative.problems("augment_negative.").messages());
        }
        p.addAll(train.problems().messages());
        return p;
    }
}
