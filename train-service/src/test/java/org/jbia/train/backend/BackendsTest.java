package org.jbia.train.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jbia.common.schema.InvalidSpecException;
import org.jbia.common.schema.TrainSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The service-wide backend setting, bia.train.backend, and the choice it makes for jobs that name none. */
class BackendsTest {

    @AfterEach
    void clearSetting() {
        System.clearProperty(Backends.SETTING);
    }

    @Test
    void withoutTheSettingJobsRunOnDl4j() {
        assertThat(Backends.serviceDefault()).isEqualTo("dl4j");
        assertThat(Backends.chosenFor(TrainSpec.defaults()).backend()).isEqualTo("dl4j");
    }

    @Test
    void aJobThatNamesNoBackendRunsOnTheSetting() {
        System.setProperty(Backends.SETTING, "libtorch");
        assertThat(Backends.serviceDefault()).isEqualTo("libtorch");
        TrainSpec chosen = Backends.chosenFor(TrainSpec.defaults());
        assertThat(chosen.backend()).isEqualTo("libtorch");
        assertThat(chosen.withBackend(null)).isEqualTo(TrainSpec.defaults()); // nothing else changed
    }

    @Test
    void aJobThatNamesABackendKeepsIt() {
        System.setProperty(Backends.SETTING, "libtorch");
        TrainSpec dl4j = TrainSpec.defaults().withBackend("dl4j");
        assertThat(Backends.chosenFor(dl4j).backend()).isEqualTo("dl4j");
    }

    @Test
    void anUnknownSettingIsRefusedNamingTheSettingTheValueAndTheBackends() {
        System.setProperty(Backends.SETTING, "tensorflow");
        assertThatThrownBy(Backends::serviceDefault).isInstanceOf(InvalidSpecException.class)
                .hasMessageContainingAll("bia.train.backend = 'tensorflow' is not allowed",
                        "expected one of dl4j, libtorch");
        assertThatThrownBy(() -> Backends.chosenFor(TrainSpec.defaults())).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("bia.train.backend = 'tensorflow'");
    }

    @Test
    void theStartupCheckRefusesAnUnknownSetting() {
        System.setProperty(Backends.SETTING, "DL4J");
        assertThatThrownBy(() -> new BackendSetting().check(null)).isInstanceOf(InvalidSpecException.class)
                .hasMessageContainingAll("bia.train.backend = 'DL4J'", "dl4j, libtorch");
        System.setProperty(Backends.SETTING, "libtorch");
        new BackendSetting().check(null); // a known one starts
    }
}
