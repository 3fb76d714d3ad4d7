package org.jbia.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;

/**
 * Follows a job until it ends, drawing its progress on a terminal (one updating line) or, when the
 * output is not a terminal, one line per state change and epoch.
 */
public final class JobWatcher {
    private static final int BAR = 24;

    private final JbiaClient client;
    private final PrintStream out;
    private final boolean terminal;

    public JobWatcher(JbiaClient client, PrintStream out, boolean terminal) {
        this.client = client;
        this.out = out;
        this.terminal = terminal;
    }

    public JsonNode follow(String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int historySeen = 0;
        int epochSeen = 0;
        while (true) {
            JsonNode job = client.job(jobId);
            JsonNode history = job.path("history");
            for (int i = historySeen; i < history.size(); i++) {
                clearLine();
                JsonNode change = history.get(i);
                out.println("[" + change.path("state").asText() + "] " + change.path("detail").asText());
            }
            historySeen = history.size();
            JsonNode progress = job.path("progress");
            if (!progress.isMissingNode() && !progress.isNull()) {
                int epoch = progress.path("epoch").asInt();
                if (epoch != epochSeen) {
                    epochSeen = epoch;
                    String line = bar(epoch, progress.path("epochs").asInt()) + " " + metrics(progress.path("metrics"));
                    if (terminal) {
                        out.print("\r" + line);
                    } else {
                        out.println(line);
                    }
                    out.flush();
                }
            }
            String state = job.path("state").asText();
            if (state.equals("COMPLETED") || state.equals("FAILED") || state.equals("CANCELLED")) {
                clearLine();
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + jobId + " is still " + state + " after "
                        + timeout.toMinutes() + " minutes; it goes on in the background: see `bia status`");
            }
            sleep();
        }
    }

    static String bar(int epoch, int epochs) {
        int filled = epochs == 0 ? 0 : Math.min(BAR, epoch * BAR / epochs);
        return "epoch " + epoch + "/" + epochs + " [" + "#".repeat(filled) + "-".repeat(BAR - filled) + "]";
    }

    /** Metrics in a steady order: training ones first, then their val_ versions, each alphabetically. */
    public static String metrics(JsonNode metrics) {
        java.util.TreeMap<String, Double> sorted = new java.util.TreeMap<>(
                Comparator.comparing((String k) -> k.startsWith("val_")).thenComparing(k -> k));
        for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            sorted.put(e.getKey(), e.getValue().asDouble());
        }
        StringBuilder s = new StringBuilder();
        sorted.forEach((k, v) -> {
            if (!s.isEmpty()) {
                s.append("  ");
            }
            s.append(k).append(' ').append(String.format("%.4f", v));
        });
        return s.toString();
    }

    private void clearLine() {
        if (terminal) {
            out.print("\r\033[K");
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
