package org.jbia.common.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {
    @TempDir
    Path dir;
    Path jar;

    @BeforeEach
    void jarBuiltAnHourAgo() throws Exception {
        jar = Files.writeString(dir.resolve("local-stack.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(3600)));
        Files.createDirectory(dir.resolve("lib"));
        Files.setLastModifiedTime(dir.resolve("lib"), FileTime.from(Instant.now().minusSeconds(3600)));
    }

    @Test
    void withoutAnArchiveTheLaunchRecordsOneAndKeepsItOnlyIfTheJvmExitedByItself() throws Exception {
        ClassDataArchive first = ClassDataArchive.forLaunch(jar, true);
        assertThat(first.recording()).isTrue();
        Path pending = Path.of(first.jvmOptions().get(0).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.writeString(pending, "archive");
        first.settle(true);
        assertThat(pending).doesNotExist();
        assertThat(dir.resolve("local-stack.jsa")).hasContent("archive");

        ClassDataArchive second = ClassDataArchive.forLaunch(jar, true);
        assertThat(second.recording()).isFalse();
        assertThat(second.jvmOptions()).containsExactly("-XX:SharedArchiveFile=" + dir.resolve("local-stack.jsa"), "-Xshare:auto");
    }

    @Test
    void aKilledRecordingLeavesNoArchive() throws Exception {
        ClassDataArchive launch = ClassDataArchive.forLaunch(jar, true);
        Path pending = Path.of(launch.jvmOptions().get(0).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.writeString(pending, "half an archive");
        launch.settle(false);
        assertThat(pending).doesNotExist();
        assertThat(dir.resolve("local-stack.jsa")).doesNotExist();
    }

    @Test
    void anArchiveOlderThanAnUpdatedLibraryIsNotUsed() throws Exception {
        Path archive = Files.writeString(dir.resolve("local-stack.jsa"), "archive");
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(1800)));
        assertThat(ClassDataArchive.forLaunch(jar, false).jvmOptions()).hasSize(2);
        Files.writeString(dir.resolve("lib/kafka-clients.jar"), "newer");
        Files.setLastModifiedTime(dir.resolve("lib"), FileTime.from(Instant.now().minusSeconds(3600)));
        assertThat(ClassDataArchive.forLaunch(jar, false).jvmOptions()).isEmpty();
    }

    @Test
    void anArchiveOlderThanARebuiltJarIsNotUsed() throws Exception {
        Path archive = Files.writeString(dir.resolve("local-stack.jsa"), "old");
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(7200)));
        assertThat(ClassDataArchive.forLaunch(jar, true).recording()).isTrue();
        assertThat(ClassDataArchive.forLaunch(jar, false).jvmOptions()).isEmpty();
    }
}
