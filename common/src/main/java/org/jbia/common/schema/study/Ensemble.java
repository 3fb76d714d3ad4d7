package org.jbia.common.schema.study;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import org.jbia.common.schema.Problems;

/**
 * The fold models of a study with opt_cv, kept together (pyBIA's {@code predict(cv_model='all')}):
 * {@code ensemble.json} beside the member bundles in the study's model zip. A prediction is the
 * members' mean probability ({@code average}) or the share of members voting positive ({@code vote}),
 * compared with {@code threshold}.
 *
 * @param members the member bundles' entry names in the zip (fold-1.zip, ...)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Ensemble(String study, String combine, double threshold, List<String> members) {
    public static final List<String> COMBINES = List.of("average", "vote");

    public Ensemble {
        members = List.copyOf(members);
        Problems p = new Problems();
        p.requireOneOf("combine", combine, COMBINES);
        p.requireInRange("threshold", threshold, 0, 1);
        if (members.isEmpty()) {
            p.add("members", members, "an ensemble needs at least one member");
        }
        p.throwIfAny("ensemble");
    }

    /**
     * The ensemble's positive-class score per image from each member's probabilities (one array per
     * member, images in the same order): the mean probability, or the fraction of members whose
     * probability is above the threshold.
     */
    public float[] combine(List<float[]> memberProbabilities) {
        if (memberProbabilities.size() != members.size()) {
            throw new IllegalArgumentException("the ensemble has " + members.size() + " members, "
                    + memberProbabilities.size() + " predictions were given");
        }
        int n = memberProbabilities.get(0).length;
        float[] out = new float[n];
        for (float[] p : memberProbabilities) {
            if (p.length != n) {
                throw new IllegalArgumentException("members predicted " + n + " and " + p.length + " images");
            }
            for (int i = 0; i < n; i++) {
                out[i] += "vote".equals(combine) ? (p[i] > threshold ? 1f : 0f) : p[i];
            }
        }
        for (int i = 0; i < n; i++) {
            out[i] /= memberProbabilities.size();
        }
        return out;
    }

    /** The label of each image: positive when the combined score is above the threshold (a strict majority for votes). */
    public boolean[] labels(float[] combined) {
        boolean[] out = new boolean[combined.length];
        double cut = "vote".equals(combine) ? 0.5 : threshold;
        for (int i = 0; i < combined.length; i++) {
            out[i] = combined[i] > cut;
        }
        return out;
    }
}
