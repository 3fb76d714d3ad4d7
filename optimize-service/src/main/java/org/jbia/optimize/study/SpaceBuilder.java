package org.jbia.optimize.study;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.Problems;
import org.jbia.common.schema.study.OptimizeSpec;
import org.jbia.common.schema.study.StudySpec;
import org.jbia.optimize.search.CategoricalParam;
import org.jbia.optimize.search.Condition;
import org.jbia.optimize.search.FloatParam;
import org.jbia.optimize.search.IntParam;
import org.jbia.optimize.search.Param;
import org.jbia.optimize.search.SearchSpace;

/**
 * A study's search space, pyBIA's {@code objective_cnn} (spec §5.2–5.3) in its suggest order, then
 * narrowed by optimize.choices and optimize.fixed. Departures from pyBIA, each a §9 fix: momentum,
 * beta_1 and beta_2 stop at 0.999 and rho lies in [0.001, 0.999] (1.0 divides by zero, §9.10); the
 * loss is tuned over the losses the trainer has (binary_crossentropy, hinge).
 */
public final class SpaceBuilder {
    public static final List<String> OPTIMIZERS = List.of("sgd", "adam", "adamax", "nadam", "adadelta", "rmsprop");
    public static final List<String> ACTIVATIONS = List.of("relu", "sigmoid", "tanh", "elu", "selu");
    public static final List<String> LOSSES = List.of("binary_crossentropy", "hinge");
    public static final List<String> INITIALIZERS = List.of("uniform_scaling", "TruncatedNormal", "he_normal",
            "lecun_uniform", "glorot_uniform");
    public static final List<String> POOLINGS = List.of("min", "max", "average");
    /** Parameters that are not network options: they go to the augmentation and the training settings. */
    static final Set<String> NOT_NETWORK = Set.of("num_aug", "blend_multiplier", "skew_angle", "image_size",
            "mask_size", "num_masks", "batch_size", "lr", "optimizer", "momentum", "nesterov", "beta_1", "beta_2",
            "amsgrad", "rho", "loss", "num_conv_layers", "num_dense_layers");

    private SpaceBuilder() {
    }

    /** The space to sample and the fixed values; throws {@link InvalidSpecException} naming every problem. */
    public static TrialSpace build(StudySpec spec, int bands) {
        Problems p = new Problems();
        TrialSpace space = build(spec, bands, p);
        p.throwIfAny("study");
        return space;
    }

    /** The problems of optimize.choices and optimize.fixed against the study's parameters. */
    public static Problems problems(StudySpec spec, int bands) {
        Problems p = new Problems();
        build(spec, bands, p);
        return p;
    }

    /** Every parameter pyBIA would tune for this spec, before choices and fixed values apply. */
    public static List<Param> parameters(StudySpec spec, int bands) {
        OptimizeSpec o = spec.optimize();
        List<Param> all = new ArrayList<>();
        if (o.optAug()) {
            all.add(Param.integer("num_aug", o.batchMin(), o.batchMax()));
            if (o.blendsPositives()) {
                all.add(Param.stepped("blend_multiplier", 1.0, o.blendMax(), 0.05));
            }
            if (o.skewAngle() > 0) {
                all.add(Param.integer("skew_angle", 0, o.skewAngle()));
            }
            all.add(Param.integer("image_size", o.imageSizeMin(), o.imageSizeMax()));
            if (o.tunesMaskSize()) {
                all.add(Param.integer("mask_size", o.maskSize().get(0), o.maskSize().get(1)));
            }
            if (o.tunesNumMasks()) {
                all.add(Param.integer("num_masks", o.numMasks().get(0), o.numMasks().get(1)));
            }
            if (o.tunesMaxPixel()) {
                for (int band = 1; band <= bands; band++) {
                    all.add(Param.integer("max_pixel_" + band, o.optMaxMinPix(), o.optMaxMaxPix()));
                }
            }
        }
        if (!o.batchSizeMin().equals(o.batchSizeMax())) {
            all.add(Param.integer("batch_size", o.batchSizeMin(), o.batchSizeMax()));
        }
        all.add(Param.stepped("lr", 1e-6, 1e-3, 5e-6));
        all.add(Param.categorical("optimizer", OPTIMIZERS));
        all.add(Param.stepped("momentum", 0, 0.999, 0.001).when("optimizer", "sgd"));
        all.add(Param.categorical("nesterov", true, false).when("optimizer", "sgd"));
        all.add(Param.stepped("beta_1", 0, 0.999, 0.001).when("optimizer", "adam", "adamax", "nadam"));
        all.add(Param.stepped("beta_2", 0, 0.999, 0.001).when("optimizer", "adam", "adamax", "nadam"));
        all.add(Param.categorical("amsgrad", true, false).when("optimizer", "adam"));
        all.add(Param.stepped("rho", 0.001, 0.999, 0.001).when("optimizer", "adadelta", "rmsprop"));
        if (o.optModel()) {
            all.add(Param.categorical("activation_conv", ACTIVATIONS));
            all.add(Param.categorical("activation_dense", ACTIVATIONS));
            all.add(Param.categorical("loss", LOSSES));
            all.add(Param.categorical("conv_init", INITIALIZERS));
            all.add(Param.categorical("dense_init", INITIALIZERS));
            all.add(Param.categorical("model_reg", "vgg16".equals(spec.train().clf())
                    ? List.of("none", "batch_norm", "local_response") : List.of("none", "local_response", "batch_norm")));
            architecture(all, spec.train().clf(), o.limitSearch());
        }
        return all;
    }

    private static void architecture(List<Param> all, String clf, boolean limitSearch) {
        switch (clf) {
            case "alexnet" -> {
                poolings(all, 3);
                if (!limitSearch) {
                    convLayers(all, 5, 3);
                    denseLayers(all, 2);
                }
            }
            case "vgg16" -> {
                poolings(all, 5);
                if (!limitSearch) {
                    convLayers(all, 5, 5);
                    denseLayers(all, 2);
                }
            }
            case "resnet18" -> {
                all.add(Param.categorical("pooling", POOLINGS));
                if (!limitSearch) {
                    all.add(Param.integer("filters", 12, 516, 12));
                    all.add(Param.integer("filter_size", 1, 7, 2));
                    all.add(Param.integer("strides", 1, 3));
                    all.add(Param.integer("pool_size", 1, 7, 2));
                    all.add(Param.integer("pool_stride", 1, 3));
                    for (int i = 1; i <= 4; i++) {
                        all.add(Param.integer("block_filters_" + i, 12, 516, 12));
                    }
                    all.add(Param.integer("block_filters_size", 1, 7, 2));
                }
            }
            case "custom_cnn" -> customCnn(all);
            default -> {
                // An unknown network is reported by the training spec's own check.
            }
        }
    }

    private static void poolings(List<Param> all, int count) {
        for (int i = 1; i <= count; i++) {
            all.add(Param.categorical("pooling_" + i, POOLINGS));
        }
    }

    private static void convLayers(List<Param> all, int convs, int pools) {
        for (int i = 1; i <= convs; i++) {
            all.add(Param.integer("filter_" + i, 12, 516, 12));
        }
        all.add(Param.integer("filter_size_1", 1, 11, 2));
        for (int i = 2; i <= convs; i++) {
            all.add(Param.integer("filter_size_" + i, 1, 7, 2));
        }
        for (int i = 1; i <= convs; i++) {
            all.add(Param.integer("strides_" + i, 1, 3));
        }
        for (int i = 1; i <= pools; i++) {
            all.add(Param.integer("pool_size_" + i, 1, 7));
            all.add(Param.integer("pool_stride_" + i, 1, 3));
        }
    }

    private static void denseLayers(List<Param> all, int count) {
        for (int i = 1; i <= count; i++) {
            all.add(Param.integer("dense_neurons_" + i, 128, 6400, 128));
            all.add(Param.stepped("dropout_" + i, 0, 0.5, 0.01));
        }
    }

    /** pyBIA's custom_model search: always the full one (limit_search does not apply). */
    private static void customCnn(List<Param> all) {
        all.add(Param.integer("filter_1", 12, 516, 12));
        all.add(Param.integer("filter_size_1", 1, 11, 2));
        all.add(Param.categorical("pooling_1", POOLINGS));
        all.add(Param.integer("pool_size_1", 1, 7));
        all.add(Param.integer("num_conv_layers", 1, 3));
        for (int i = 2; i <= 3; i++) {
            Object[] when = i == 2 ? new Object[] {2, 3} : new Object[] {3};
            all.add(Param.integer("filter_" + i, 12, 516, 12).when("num_conv_layers", when));
            all.add(Param.integer("filter_size_" + i, 1, 7, 2).when("num_conv_layers", when));
            all.add(Param.categorical("pooling_" + i, POOLINGS).when("num_conv_layers", when));
            all.add(Param.integer("pool_size_" + i, 1, 7).when("num_conv_layers", when));
        }
        all.add(Param.integer("dense_neurons_1", 128, 6400, 128));
        all.add(Param.stepped("dropout_1", 0, 0.5, 0.01));
        all.add(Param.integer("num_dense_layers", 1, 3));
        for (int i = 2; i <= 3; i++) {
            Object[] when = i == 2 ? new Object[] {2, 3} : new Object[] {3};
            all.add(Param.integer("dense_neurons_" + i, 128, 6400, 128).when("num_dense_layers", when));
            all.add(Param.stepped("dropout_" + i, 0, 0.5, 0.01).when("num_dense_layers", when));
        }
    }

    private static TrialSpace build(StudySpec spec, int bands, Problems p) {
        OptimizeSpec o = spec.optimize();
        List<Param> params = parameters(spec, bands);
        Map<String, Param> byName = new LinkedHashMap<>();
        params.forEach(param -> byName.put(param.name(), param));
        String known = String.join(", ", byName.keySet());

        // Narrower choices first, so that fixed values are checked against what is left.
        Map<String, List<Object>> narrowed = new HashMap<>();
        o.choices().forEach((name, choices) -> {
            Param param = byName.get(name);
            if (param == null) {
                p.add("optimize.choices." + name, choices, "not a parameter of this study; its parameters are " + known);
            } else if (!(param instanceof CategoricalParam c)) {
                p.add("optimize.choices." + name, choices, name + " is not categorical; pin it with optimize.fixed."
                        + name + " or change its range");
            } else if (choices != null && !choices.isEmpty()) {
                List<Object> unknown = choices.stream().filter(v -> !c.contains(v)).toList();
                if (!unknown.isEmpty()) {
                    p.add("optimize.choices." + name, choices, "expected a subset of " + c.choices());
                } else {
                    narrowed.put(name, List.copyOf(choices));
                }
            }
        });
        List<Param> afterChoices = new ArrayList<>();
        for (Param param : params) {
            Param q = narrowed.containsKey(param.name())
                    ? new CategoricalParam(param.name(), narrowed.get(param.name()), param.condition()) : param;
            q = restrictCondition(q, afterChoices);
            if (q != null) {
                afterChoices.add(q);
            }
        }
        Map<String, Param> available = new LinkedHashMap<>();
        afterChoices.forEach(param -> available.put(param.name(), param));

        Map<String, Object> fixed = new LinkedHashMap<>();
        o.fixed().forEach((name, value) -> {
            Param param = available.get(name);
            if (param == null) {
                String why = byName.containsKey(name) ? "its condition can never hold with the choices given"
                        : "not a parameter of this study; its parameters are " + known;
                p.add("optimize.fixed." + name, value, why);
            } else if (!param.contains(value)) {
                p.add("optimize.fixed." + name, value, domain(param));
            } else {
                fixed.put(name, value instanceof Number n && param instanceof IntParam ? (Object) n.intValue() : value);
            }
        });

        // Fixed values leave the space; a child of a fixed parent is kept unconditionally or dropped.
        List<Param> sampled = new ArrayList<>();
        Map<String, Condition> fixedConditions = new HashMap<>();
        Map<String, Object> reachable = new LinkedHashMap<>();
        for (Param param : afterChoices) {
            Condition c = param.condition();
            Param q = param;
            if (c != null) {
                String parent = c.parent();
                if (reachable.containsKey(parent)) {
                    if (!c.acceptsValue(reachable.get(parent))) {
                        continue;
                    }
                    q = unconditional(param);
                    c = null;
                } else if (sampled.stream().noneMatch(s -> s.name().equals(parent))) {
                    continue;
                }
            }
            if (fixed.containsKey(param.name())) {
                reachable.put(param.name(), fixed.get(param.name()));
                if (c != null) {
                    fixedConditions.put(param.name(), c);
                }
            } else {
                sampled.add(q);
            }
        }
        Map<String, Object> fixedKept = new LinkedHashMap<>();
        fixed.forEach((name, value) -> {
            if (reachable.containsKey(name)) {
                fixedKept.put(name, value);
            }
        });
        SearchSpace.Builder builder = SearchSpace.builder();
        sampled.forEach(builder::add);
        try {
            return new TrialSpace(builder.build(), fixedKept, fixedConditions);
        } catch (InvalidSpecException e) {
            p.addAll(e.problems());
            return null;
        }
    }

    /** A conditional parameter whose parent lost some choices keeps the values left, or goes. */
    private static Param restrictCondition(Param param, List<Param> earlier) {
        Condition c = param.condition();
        if (c == null) {
            return param;
        }
        Param parent = earlier.stream().filter(e -> e.name().equals(c.parent())).findFirst().orElse(null);
        if (parent == null) {
            return null;
        }
        List<Object> values = c.values().stream().filter(parent::contains).toList();
        if (values.isEmpty()) {
            return null;
        }
        return values.size() == c.values().size() ? param : param.when(c.parent(), values.toArray());
    }

    private static Param unconditional(Param param) {
        if (param instanceof FloatParam f) {
            return new FloatParam(f.name(), f.low(), f.high(), f.log(), f.step(), null);
        }
        if (param instanceof IntParam i) {
            return new IntParam(i.name(), i.low(), i.high(), i.step(), i.log(), null);
        }
        CategoricalParam c = (CategoricalParam) param;
        return new CategoricalParam(c.name(), c.choices(), null);
    }

    static String domain(Param param) {
        try {
            // Built alone, a stepped range shows its high trimmed to the last grid point, as sampled.
            param = SearchSpace.builder().add(unconditional(param)).build().params().get(0);
        } catch (InvalidSpecException badRange) {
            // The range itself is reported elsewhere (min > max); describe it as given.
        }
        if (param instanceof FloatParam f) {
            return "expected a number in [" + f.low() + ", " + f.high() + "]"
                    + (f.step() != null ? " on steps of " + f.step() : "");
        }
        if (param instanceof IntParam i) {
            return "expected an integer in [" + i.low() + ", " + i.high() + "]"
                    + (i.step() != 1 ? " on steps of " + i.step() + " from " + i.low() : "");
        }
        return "expected one of " + ((CategoricalParam) param).choices();
    }
}
