package org.jbia.optimize.study;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jbia.optimize.search.Condition;
import org.jbia.optimize.search.SearchSpace;

/**
 * What a study samples and what it pins: the {@link SearchSpace} the sampler sees, plus the values the
 * user fixed (optimize.fixed), each present in a trial under the same condition it would have had as
 * a sampled parameter.
 *
 * @param fixedConditions the condition of each fixed value that is conditional (absent when it always holds)
 */
public record TrialSpace(SearchSpace space, Map<String, Object> fixed, Map<String, Condition> fixedConditions) {

    public TrialSpace {
        fixed = Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
        fixedConditions = Map.copyOf(fixedConditions);
    }

    /** The full values of a trial: the sampled ones plus every fixed value whose condition holds. */
    public Map<String, Object> complete(Map<String, Object> sampled) {
        Map<String, Object> all = new LinkedHashMap<>(sampled);
        // Fixed values may be parents of other fixed values; repeat until nothing more applies.
        boolean added = true;
        while (added) {
            added = false;
            for (Map.Entry<String, Object> e : fixed.entrySet()) {
                if (all.containsKey(e.getKey())) {
                    continue;
                }
                Condition c = fixedConditions.get(e.getKey());
                if (c == null || (all.containsKey(c.parent()) && c.acceptsValue(all.get(c.parent())))) {
                    all.put(e.getKey(), e.getValue());
                    added = true;
                }
            }
        }
        return all;
    }
}
