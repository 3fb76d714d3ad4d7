package org.jbia.optimize.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbia.common.schema.InvalidSpecException;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {

    private static InvalidSpecException invalid(SearchSpace.Builder b) {
        try {
            b.build();
        } catch (InvalidSpecException e) {
            return e;
        }
        throw new AssertionError("expected the space to be rejected");
    }

    @Test
    void rejectsMinAboveMaxNamingTheParameter() {
        InvalidSpecException e = invalid(SearchSpace.builder()
                .add(Param.uniform("blend_multiplier", 2.0, 1.0))
                .add(Param.integer("image_size", 80, 50)));
        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0)).contains("blend_multiplier.low = 2.0").contains("blend_multiplier.high (1.0)");
        assertThat(e.problems().get(1)).contains("image_size.low = 80").contains("image_size.high (50)");
    }

    @Test
    void rejectsEmptyAndRepeatedCategoricals() {
        InvalidSpecException e = invalid(SearchSpace.builder()
                .add(Param.categorical("optimizer", List.of()))
                .add(Param.categorical("pooling_1", "min", "max", "min")));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("optimizer.choices").contains("at least one choice"));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("pooling_1.choices").contains("min repeats"));
    }

    @Test
    void rejectsLogWithNonPositiveLow() {
        InvalidSpecException e = invalid(SearchSpace.builder()
                .add(Param.logUniform("lr", 0.0, 1e-3))
                .add(Param.logInteger("batch_size", -4, 64)));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("lr.low = 0.0").contains("log-scale parameter needs low > 0"));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("batch_size.low = -4").contains("low > 0"));
    }

    @Test
    void rejectsBadSteps() {
        InvalidSpecException e = invalid(SearchSpace.builder()
                .add(Param.stepped("dropout_1", 0, 0.5, -0.01))
                .add(Param.integer("filter_1", 12, 516, 0))
                .add(new FloatParam("lr", 1e-6, 1e-3, true, 1e-6, null))
                .add(new IntParam("n", 1, 64, 2, true, null)));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("dropout_1.step = -0.01").contains("> 0"));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("filter_1.step = 0").contains("> 0"));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("lr.step").contains("cannot be combined with log"));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("n.step = 2").contains("step 1"));
    }

    @Test
    void rejectsNonFiniteBoundsAndDuplicateNames() {
        InvalidSpecException e = invalid(SearchSpace.builder()
                .add(Param.uniform("zoom", Double.NaN, 1.0))
                .add(Param.uniform("shift", 0, Double.POSITIVE_INFINITY))
                .add(Param.integer("num_aug", 1, 5))
                .add(Param.integer("num_aug", 1, 9)));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("zoom.low = NaN").contains("finite"));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("shift.high = Infinity").contains("finite"));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("num_aug").contains("unique"));
    }

    @Test
    void rejectsConditionsOnUnknownOrLaterParentsAndValuesOutsideTheParent() {
        InvalidSpecException e = invalid(SearchSpace.builder()
                .add(Param.uniform("momentum", 0, 1).when("optimizer", "sgd"))
                .add(Param.categorical("optimizer", "sgd", "adam"))
                .add(Param.uniform("beta_1", 0, 1).when("optimizer", "adamw"))
                .add(Param.uniform("rho", 0, 1).when("optimizer")));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("momentum.when = 'optimizer'")
                .contains("defined before momentum"));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("beta_1.when.optimizer = 'adamw'")
                .contains("[sgd, adam]"));
        assertThat(e.problems()).anySatisfy(m -> assertThat(m).contains("rho.when").contains("at least one value"));
    }

    @Test
    void trimsSteppedHighToTheGridAsOptuna() {
        SearchSpace space = SearchSpace.builder()
                .add(Param.stepped("lr", 1e-6, 1e-3, 5e-6))
                .add(Param.integer("pool_size", 1, 8, 2))
                .build();
        assertThat(((FloatParam) space.param("lr")).high()).isEqualTo(9.96e-4);
        assertThat(((IntParam) space.param("pool_size")).high()).isEqualTo(7);
    }

    @Test
    void buildsFromADescriptionMap() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("optimizer", Map.of("type", "categorical", "choices", List.of("sgd", "adam")));
        d.put("momentum", Map.of("type", "float", "low", 0, "high", 1, "step", 0.001, "when", Map.of("optimizer", List.of("sgd"))));
        d.put("lr", Map.of("type", "float", "low", 1e-6, "high", 1e-3, "log", true));
        d.put("filters", Map.of("type", "int", "low", 12, "high", 516, "step", 12));
        SearchSpace space = SearchSpace.fromDescription(d);
        assertThat(space.params()).extracting(Param::name).containsExactly("optimizer", "momentum", "lr", "filters");
        assertThat(space.param("momentum").condition()).isEqualTo(new Condition("optimizer", List.of("sgd")));
        assertThat(space.param("lr")).isEqualTo(Param.logUniform("lr", 1e-6, 1e-3));
        assertThat(space.param("filters")).isEqualTo(Param.integer("filters", 12, 516, 12));
    }

    @Test
    void descriptionErrorsNameTheParameterAndKey() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", Map.of("type", "float", "lo", 1e-6, "high", 1e-3));
        d.put("pooling", Map.of("type", "enum", "choices", List.of("min")));
        d.put("filters", Map.of("type", "int", "low", 12.5, "high", 516));
        d.put("loss", "hinge");
        assertThatThrownBy(() -> SearchSpace.fromDescription(d))
                .isInstanceOf(InvalidSpecException.class)
                .satisfies(t -> {
                    List<String> p = ((InvalidSpecException) t).problems();
                    assertThat(p).anySatisfy(m -> assertThat(m).contains("lr.lo = 1.0E-6").contains("unknown key")
                            .contains("high, log, low, step, type, when"));
                    assertThat(p).anySatisfy(m -> assertThat(m).contains("lr.low = null").contains("expected a number"));
                    assertThat(p).anySatisfy(m -> assertThat(m).contains("pooling.type = 'enum'").contains("float, int, categorical"));
                    assertThat(p).anySatisfy(m -> assertThat(m).contains("filters.low = 12.5").contains("integer"));
                    assertThat(p).anySatisfy(m -> assertThat(m).contains("loss = 'hinge'").contains("'type'"));
                });
    }

    @Test
    void checkValuesRejectsUnknownNamesValuesOutsideTheDomainAndInactiveParameters() {
        SearchSpace space = SearchSpace.builder()
                .add(Param.categorical("optimizer", "sgd", "adam"))
                .add(Param.stepped("momentum", 0, 1, 0.001).when("optimizer", "sgd"))
                .add(Param.integer("filters", 12, 516, 12))
                .build();
        space.checkValues(Map.of("optimizer", "sgd", "momentum", 0.25, "filters", 24));
        assertThatThrownBy(() -> space.checkValues(Map.of("optimiser", "sgd")))
                .hasMessageContaining("parameter 'optimiser' = 'sgd'")
                .hasMessageContaining("unknown parameter; expected one of optimizer, momentum, filters");
        assertThatThrownBy(() -> space.checkValues(Map.of("filters", 13)))
                .hasMessageContaining("filters = 13")
                .hasMessageContaining("[12, 516] on steps of 12");
        assertThatThrownBy(() -> space.checkValues(Map.of("optimizer", "adam", "momentum", 0.5)))
                .hasMessageContaining("momentum = 0.5")
                .hasMessageContaining("only present when optimizer is one of [sgd], but optimizer = adam");
    }

    @Test
    void conditionsFollowTheParentsValueAndPresence() {
        SearchSpace space = SearchSpace.builder()
                .add(Param.integer("num_conv_layers", 1, 3))
                .add(Param.integer("filter_3", 12, 516, 12).when("num_conv_layers", 3))
                .add(Param.categorical("pooling_3", "min", "max").when("filter_3", 12, 24))
                .build();
        Param filter3 = space.param("filter_3");
        Param pooling3 = space.param("pooling_3");
        assertThat(space.isActive(filter3, Map.of("num_conv_layers", 3))).isTrue();
        assertThat(space.isActive(filter3, Map.of("num_conv_layers", 3L))).isTrue();
        assertThat(space.isActive(filter3, Map.of("num_conv_layers", 2))).isFalse();
        assertThat(space.isActive(pooling3, Map.of("num_conv_layers", 2))).isFalse();
        assertThat(space.isActive(pooling3, Map.of("num_conv_layers", 3, "filter_3", 24))).isTrue();
    }
}
