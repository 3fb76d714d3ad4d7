package org.jbia.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.study.StudySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bia optimize}'s options as a study spec, and the lines it prints, without services. */
class OptimizeCommandTest {
    @TempDir
    Path dir;

    private static StudySpec parse(String... args) {
        OptimizeCommand command = new OptimizeCommand();
        String[] all = new String[args.length + 4];
        all[0] = "--positive";
        all[1] = "p.npy";
        all[2] = "--negative";
        all[3] = "n.npy";
        System.arraycopy(args, 0, all, 4, args.length);
        new CommandLine(command).parseArgs(all);
        return command.toSpec();
    }

    @Test
    void pyBiasArgumentsBecomeTheStudySpec() {
        StudySpec s = parse("--clf", "custom_cnn", "--normalize", "--max-pixel", "100,200", "--n-iter", "40",
                "--n-parallel", "2", "--train-epochs", "10", "--epochs", "0", "--patience", "3", "--metric", "val_loss",
                "--metric2", "f1_score", "--opt-aug", "--batch-min", "10", "--batch-max", "250", "--no-balance",
                "--mask-size", "3:8", "--num-masks", "2", "--zoom-range", "none", "--monitor1", "binary_accuracy",
                "--monitor1-thresh", "0.99", "--pruner", "median", "--choices", "optimizer=adam|sgd",
                "--fix", "num_conv_layers=1,filter_1=24", "--seed", "9", "--name", "lenses");
        assertThat(s.name()).isEqualTo("lenses");
        assertThat(s.seed()).isEqualTo(9L);
        assertThat(s.train().clf()).isEqualTo("custom_cnn");
        assertThat(s.train().normalize()).isTrue();
        assertThat(s.train().maxPixel()).containsExactly(100, 200);
        var o = s.optimize();
        assertThat(o.nIter()).isEqualTo(40);
        assertThat(o.nParallel()).isEqualTo(2);
        assertThat(o.trainEpochs()).isEqualTo(10);
        assertThat(o.epochs()).isZero();
        assertThat(o.patience()).isEqualTo(3);
        assertThat(o.metric()).isEqualTo("val_loss");
        assertThat(o.metric2()).isEqualTo("f1_score");
        assertThat(o.optAug()).isTrue();
        assertThat(o.batchMax()).isEqualTo(250);
        assertThat(o.balance()).isFalse();
        assertThat(o.maskSize()).containsExactly(3, 8);
        assertThat(o.numMasks()).containsExactly(2);
        assertThat(o.zoomRange()).isEmpty();
        assertThat(o.monitor1Thresh()).isEqualTo(0.99);
        assertThat(o.pruner()).isEqualTo("median");
        assertThat(o.choices()).containsEntry("optimizer", List.of("adam", "sgd"));
        assertThat(o.fixed()).containsEntry("num_conv_layers", 1).containsEntry("filter_1", 24);
        assertThat(s.problems().isEmpty()).isTrue();
    }

    @Test
    void theOptionsGivenOverrideTheSpecFile() throws Exception {
        Path file = Files.writeString(dir.resolve("study.json"), "{\"name\": \"from-file\", \"train\": {\"clf\": "
                + "\"vgg16\", \"optimizer\": \"adam\"}, \"optimize\": {\"n_iter\": 7, \"opt_cv\": 3}}");
        StudySpec s = parse("--spec-file", file.toString(), "--n-iter", "12", "--lr", "0.001");
        assertThat(s.name()).isEqualTo("from-file");
        assertThat(s.train().clf()).isEqualTo("vgg16");
        assertThat(s.train().optimizer()).isEqualTo("adam");
        assertThat(s.train().lr()).isEqualTo(0.001);
        assertThat(s.optimize().nIter()).isEqualTo(12);
        assertThat(s.optimize().optCv()).isEqualTo(3);
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> parse("--mask-size", "3:x")).hasMessage("--mask-size 3:x: 'x' is not a number; give N "
                + "or LO:HI");
        assertThatThrownBy(() -> parse("--spec-file", "/nonexistent/study.json"))
                .hasMessageStartingWith("--spec-file /nonexistent/study.json: ");
    }

    @Test
    void progressSaysTrialsDoneAndTheBestSoFar() throws Exception {
        JsonNode s = JsonCodec.mapper().readTree("{\"finished\": 7, \"n_iter\": 25, \"complete\": 5, \"pruned\": 1, "
                + "\"failed\": 1, \"running\": 2, \"best\": {\"number\": 4, \"value\": 0.81234, \"params\": {}}}");
        assertThat(OptimizeCommand.progress(s)).isEqualTo("trials 7/25 done (5 complete, 1 pruned, 1 failed), 2 "
                + "running, best 0.8123 (trial 4)");
    }

    @Test
    void theTrialsTableHasOneLinePerTrial() throws Exception {
        JsonNode rows = JsonCodec.mapper().readTree("[{\"number\": 0, \"state\": \"COMPLETE\", \"value\": 0.5, "
                + "\"best_so_far\": 0.5, \"workers\": [\"train@1\"]}, {\"number\": 1, \"state\": \"PRUNED\", "
                + "\"best_so_far\": 0.5, \"workers\": [\"train@2\", \"train@3\"], \"reason\": \"monitor1: loss\"}]");
        String[] lines = StudyCommand.table(rows).split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[1]).contains("COMPLETE").contains("0.5000").contains("train@1");
        assertThat(lines[2]).contains("PRUNED").contains("-").contains("train@2 train@3").endsWith("monitor1: loss");
    }
}
