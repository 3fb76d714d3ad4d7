package org.jbia.cli.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where jBIA's built modules are: {@code bia.home} (set by ./bia), else the nearest parent that has them. */
public final class ProjectHome {
    private ProjectHome() {
    }

    public static Path find() {
        String configured = System.getProperty("bia.home", System.getenv("BIA_HOME"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        String root = System.getProperty("bia.project.root");
        for (Path dir = Path.of(root != null ? root : ".").toAbsolutePath().normalize(); dir != null;
             dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("local-stack")) && Files.isDirectory(dir.resolve("train-service"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the jBIA project (no local-stack/ and train-service/ above "
                + Path.of(".").toAbsolutePath().normalize() + "); set BIA_HOME to the project root");
    }

    /** The packaged Quarkus app of a service; a clear error says how to build it when it is missing. */
    public static Path serviceJar(Path home, String service) {
        Path jar = home.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(service + " is not built: " + jar + " is missing; run `mvn -B package "
                    + "-DskipTests` in " + home);
        }
        return jar;
    }
}
