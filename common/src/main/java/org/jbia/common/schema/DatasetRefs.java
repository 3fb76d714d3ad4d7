package org.jbia.common.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The arrays of one job: both classes, and optional validation and test sets (null when absent). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DatasetRefs(ObjectRef positive, ObjectRef negative, ObjectRef valPositive, ObjectRef valNegative,
                          ObjectRef testPositive, ObjectRef testNegative) {

    public DatasetRefs withClasses(ObjectRef newPositive, ObjectRef newNegative) {
        return new DatasetRefs(newPositive, newNegative, valPositive, valNegative, testPositive, testNegative);
    }

    public DatasetRefs withValidation(ObjectRef newValPositive, ObjectRef newValNegative) {
        return new DatasetRefs(positive, negative, newValPositive, newValNegative, testPositive, testNegative);
    }

    public DatasetRefs withTest(ObjectRef newTestPositive, ObjectRef newTestNegative) {
        return new DatasetRefs(positive, negative, valPositive, valNegative, newTestPositive, newTestNegative);
    }
}
