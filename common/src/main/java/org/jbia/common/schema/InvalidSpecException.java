package org.jbia.common.schema;

import java.util.List;

/** A submission that cannot be run; {@link #problems()} holds one message per problem. */
public class InvalidSpecException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidSpecException(String what, List<String> problems) {
        super("invalid " + what + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
