package org.jbia.optimize.api;

import java.util.List;

/** A submission refused before any work: HTTP 400 with every problem named. */
public class SubmissionRejected extends RuntimeException {
    private final List<String> problems;

    public SubmissionRejected(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
