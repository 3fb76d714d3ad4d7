package org.jbia.optimize.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter importances by binned variance decomposition, a documented stand-in for Optuna's
 * fANOVA (which needs a random forest). For each parameter, over the COMPLETE trials that have it:
 * the values are grouped (one group per categorical choice or per distinct value when there are few,
 * otherwise equal-count bins of the value, in log space for log parameters, about √m bins, at most
 * 10), and the share of the objective's variance explained by the groups is measured as
 * ε² = (SS_between − (k − 1)·MS_within) / SS_total, clipped at 0. Unlike the raw ratio, ε² does
 * not grow with the number of bins, so a parameter that does nothing scores about 0. A
 * conditional parameter's score is multiplied by the fraction of trials in which it was present.
 * The scores are normalised to sum to 1 (all 0 when no parameter explains anything). Like
 * univariate fANOVA terms, interactions between parameters are not attributed.
 */
public final class ParamImportance {
    private static final int MAX_BINS = 10;

    private ParamImportance() {
    }

    /** Importance per parameter, most important first. */
    public static Map<String, Double> estimate(SearchSpace space, List<TrialRecord> trials) {
        List<TrialRecord> complete = new ArrayList<>();
        for (TrialRecord t : trials) {
            if (t.state() == TrialState.COMPLETE && Double.isFinite(t.value())) {
                complete.add(t);
            }
        }
        Map<String, Double> raw = new LinkedHashMap<>();
        double total = 0;
        for (Param p : space.params()) {
            List<double[]> xy = new ArrayList<>();
            for (TrialRecord t : complete) {
                Object v = t.params().get(p.name());
                if (t.params().containsKey(p.name()) && p.contains(v)) {
                    xy.add(new double[] {key(p, v), t.value()});
                }
            }
            double score = complete.isEmpty() ? 0 : epsilonSquared(p, xy) * xy.size() / complete.size();
            raw.put(p.name(), score);
            total += score;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        final double sum = total;
        raw.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), sum > 0 ? e.getValue() / sum : 0.0));
        return out;
    }

    private static double key(Param p, Object v) {
        if (p instanceof CategoricalParam c) {
            return c.indexOf(v);
        }
        double x = ((Number) v).doubleValue();
        boolean log = (p instanceof FloatParam f && f.log()) || (p instanceof IntParam i && i.log());
        return log ? Math.log(x) : x;
    }

    /** ε² of y grouped by x; xy rows are {x, y}. */
    static double epsilonSquared(Param p, List<double[]> xy) {
        int m = xy.size();
        if (m < 3) {
            return 0;
        }
        xy.sort(Comparator.comparingDouble(r -> r[0]));
        int[] group = groups(p, xy);
        int k = group[m - 1] + 1;
        if (k < 2 || m - k < 1) {
            return 0;
        }
        double mean = 0;
        for (double[] r : xy) {
            mean += r[1];
        }
        mean /= m;
        double[] sum = new double[k];
        int[] count = new int[k];
        double sst = 0;
        for (int i = 0; i < m; i++) {
            sum[group[i]] += xy.get(i)[1];
            count[group[i]]++;
            sst += (xy.get(i)[1] - mean) * (xy.get(i)[1] - mean);
        }
        if (sst == 0) {
            return 0;
        }
        double ssb = 0;
        for (int g = 0; g < k; g++) {
            double gm = sum[g] / count[g];
            ssb += count[g] * (gm - mean) * (gm - mean);
        }
        double msw = (sst - ssb) / (m - k);
        return Math.max(0, (ssb - (k - 1) * msw) / sst);
    }

    /** Group index of each sorted row; equal x always share a group. */
    private static int[] groups(Param p, List<double[]> sorted) {
        int m = sorted.size();
        int bins = Math.max(2, Math.min(MAX_BINS, (int) Math.round(Math.sqrt(m))));
        double[] distinct = sorted.stream().mapToDouble(r -> r[0]).distinct().toArray();
        int[] group = new int[m];
        if (p instanceof CategoricalParam || distinct.length <= bins) {
            for (int i = 0; i < m; i++) {
                group[i] = Arrays.binarySearch(distinct, sorted.get(i)[0]);
            }
            return group;
        }
        int g = 0;
        int inGroup = 0;
        for (int i = 0; i < m; i++) {
            // Start a new bin once this one holds its share, but never split equal values.
            if (inGroup >= (double) m / bins && sorted.get(i)[0] != sorted.get(i - 1)[0] && g < bins - 1) {
                g++;
                inGroup = 0;
            }
            group[i] = g;
            inGroup++;
        }
        return group;
    }
}
