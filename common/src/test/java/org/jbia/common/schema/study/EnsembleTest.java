package org.jbia.common.schema.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.JsonCodec;
import org.junit.jupiter.api.Test;

class EnsembleTest {
    private static final List<float[]> PREDICTIONS = List.of(new float[] {0.9f, 0.2f, 0.6f},
            new float[] {0.7f, 0.4f, 0.4f}, new float[] {0.8f, 0.9f, 0.45f});

    @Test
    void averagingTakesTheMeanProbability() {
        Ensemble e = new Ensemble("s", "average", 0.5, List.of("fold-1.zip", "fold-2.zip", "fold-3.zip"));
        float[] p = e.combine(PREDICTIONS);
        assertThat(p[0]).isCloseTo(0.8f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(p[1]).isCloseTo(0.5f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(e.labels(p)).containsExactly(true, false, false);
    }

    @Test
    void votingCountsTheMembersAboveTheThreshold() {
        Ensemble e = new Ensemble("s", "vote", 0.5, List.of("a", "b", "c"));
        float[] p = e.combine(PREDICTIONS);
        assertThat(p[0]).isEqualTo(1f);
        assertThat(p[1]).isCloseTo(1f / 3, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(p[2]).isCloseTo(1f / 3, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(e.labels(p)).containsExactly(true, false, false);
    }

    @Test
    void aBadManifestIsRefusedNamingTheField() {
        assertThatThrownBy(() -> new Ensemble("s", "median", 0.5, List.of("a"))).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("combine = 'median' is not allowed: expected one of average, vote");
        assertThatThrownBy(() -> new Ensemble("s", "vote", 0.5, List.of()))
                .hasMessageContaining("members = [] is not allowed: an ensemble needs at least one member");
        assertThatThrownBy(() -> new Ensemble("s", "vote", 0.5, List.of("a", "b")).combine(PREDICTIONS))
                .hasMessage("the ensemble has 2 members, 3 predictions were given");
    }

    @Test
    void theManifestIsJson() {
        Ensemble e = new Ensemble("s", "average", 0.5, List.of("fold-1.zip"));
        assertThat(JsonCodec.decode(JsonCodec.encode(e), Ensemble.class)).isEqualTo(e);
        assertThat(JsonCodec.encode(e)).contains("\"combine\":\"average\"");
    }
}
