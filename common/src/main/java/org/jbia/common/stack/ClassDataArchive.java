package org.jbia.common.stack;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A class-data-sharing archive ({@code local-stack.jsa}) of the classes Kafka and s3proxy load, kept
 * beside the jar. Loading some 10,000 classes dominates the stack's start; with the archive mapped it
 * starts in about half the time (measured on a busy 2-core machine: 10 s instead of 18 to 25 s).
 *
 * <p>A stack launched without a fresh archive records one as it exits; the dump goes to a private file
 * that becomes the archive only if the JVM exited by itself, so a killed dump never leaves a damaged
 * archive behind, and concurrent launches never read a half-written one.
 */
final class ClassDataArchive {
    private final Path archive;
    private final Path pending;

    private ClassDataArchive(Path archive, Path pending) {
        this.archive = archive;
        this.pending = pending;
    }

    /**
     * Uses the archive when it is newer than the jar and its lib/; otherwise, if {@code mayRecord}
     * and the jar's directory is writable, records one at exit; otherwise does nothing.
     */
    static ClassDataArchive forLaunch(Path jar, boolean mayRecord) {
        Path archive = jar.resolveSibling("local-stack.jsa");
        if (isFresh(archive, jar)) {
            return new ClassDataArchive(archive, null);
        }
        if (mayRecord && Files.isWritable(jar.getParent())) {
            return new ClassDataArchive(archive, jar.resolveSibling("local-stack.jsa." + UUID.randomUUID() + ".tmp"));
        }
        return none();
    }

    /** No archive: for launches whose JVM options choose their own class-data sharing. */
    static ClassDataArchive none() {
        return new ClassDataArchive(null, null);
    }

    List<String> jvmOptions() {
        if (pending != null) {
            return List.of("-XX:ArchiveClassesAtExit=" + pending);
        }
        if (archive != null) {
            // auto: an archive the JVM finds unusable is ignored, never fatal
            return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
        }
        return List.of();
    }

    /** Whether the child writes an archive as it exits, which makes that exit take longer. */
    boolean recording() {
        return pending != null;
    }

    /** After the child exited: keep the recorded archive if it finished, else drop the fragment. */
    void settle(boolean exitedByItself) {
        if (pending == null || !Files.exists(pending)) {
            return;
        }
        try {
            if (exitedByItself) {
                try {
                    Files.move(pending, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(pending, archive, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                Files.deleteIfExists(pending);
            }
        } catch (IOException e) {
            // an archive is an optimisation: without it the next start is only slower
        }
    }

    /** Newer than the jar and every jar in lib/: the JVM would reject an archive of other class files. */
    private static boolean isFresh(Path archive, Path jar) {
        try {
            if (!Files.isRegularFile(archive)) {
                return false;
            }
            long made = Files.getLastModifiedTime(archive).toMillis();
            if (made <= Files.getLastModifiedTime(jar).toMillis()) {
                return false;
            }
            Path lib = jar.resolveSibling("lib");
            if (!Files.isDirectory(lib)) {
                return true;
            }
            try (Stream<Path> jars = Files.list(lib)) {
                return jars.allMatch(j -> j.toFile().lastModified() < made)
                        && Files.getLastModifiedTime(lib).toMillis() < made;
            }
        } catch (IOException e) {
            return false;
        }
    }
}
