package org.jbia.cli.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One jBIA service run as its own JVM (its packaged Quarkus app), the way it runs in production,
 * with addresses passed by environment. Started detached: it outlives the command that started it.
 */
public final class ServiceProcess {

    /** What is needed to find and stop a started service later. */
    @com.fasterxml.jackson.databind.annotation.JsonNaming(
            com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Handle(String name, long pid, int port, Path log) {
        @com.fasterxml.jackson.annotation.JsonIgnore
        public String url() {
            return "http://127.0.0.1:" + port;
        }

        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isAlive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }

        /** SIGTERM, then SIGKILL after {@code grace}; returns once the process is gone. */
        public void stop(Duration grace) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy();
                try {
                    p.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                    p.onExit().join();
                }
            });
        }

        /** SIGKILL: the process gets no chance to finish anything (for fault tests). */
        public void kill() {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroyForcibly();
                p.onExit().join();
            });
        }
    }

    private ServiceProcess() {
    }

    /**
     * Starts {@code jar} with {@code env} on {@code port}, logging to {@code log}.
     *
     * @param heap the JVM heap, e.g. "1g"
     */
    public static Handle start(String name, Path jar, Map<String, String> env, int port, Path log, String heap,
                               List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-Djava.awt.headless=true");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        builder.environment().put("BIA_HTTP_PORT", Integer.toString(port));
        try {
            Process process = builder.start();
            return new Handle(name, process.pid(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the service says it is ready (its health check, Kafka channels included). */
    public static void awaitReady(Handle service, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException(service.name() + " exited while starting; see " + service.log());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(service.url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + r.statusCode() + ": " + r.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + service.name(), e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + service.name(), e);
            }
        }
        throw new IllegalStateException(service.name() + " did not become ready within " + timeout.toSeconds()
                + " s (last answer: " + last + "); see " + service.log());
    }

    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port: " + e.getMessage(), e);
        }
    }
}
