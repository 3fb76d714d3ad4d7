package org.jbia.train.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.jbia.train.backend.Backends;
import org.jbia.train.bundle.ModelBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Training jobs under the service-wide backend setting, bia.train.backend. */
class ServiceBackendTest {

    @AfterEach
    void clearSetting() {
        System.clearProperty(Backends.SETTING);
    }

    @Test
    void aJobThatNamesNoBackendRunsOnTheSettingAndItsBundleSaysSo() {
        System.setProperty(Backends.SETTING, "libtorch");
        TrainingOutcome out = TrainingJob.run(TrainingData.of(TrainingJobTest.P, TrainingJobTest.N),
                TrainingJobTest.spec(Map.of("epochs", 1)), 3, null);
        ModelBundle bundle = ModelBundle.read(out.bundle());
        assertThat(bundle.backend()).isEqualTo("libtorch");
        assertThat(bundle.trainSpec().backend()).isEqualTo("libtorch");
    }

    @Test
    void aJobThatNamesABackendRunsOnItWhateverTheSetting() {
        System.setProperty(Backends.SETTING, "libtorch");
        TrainingOutcome out = TrainingJob.run(TrainingData.of(TrainingJobTest.P, TrainingJobTest.N),
                TrainingJobTest.spec("dl4j", Map.of("epochs", 1)), 3, null);
        assertThat(ModelBundle.read(out.bundle()).backend()).isEqualTo("dl4j");
    }
}
