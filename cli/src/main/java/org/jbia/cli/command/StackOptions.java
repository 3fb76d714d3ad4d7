package org.jbia.cli.command;

import java.nio.file.Path;
import org.jbia.cli.client.JbiaClient;
import org.jbia.cli.stack.JbiaStack;
import org.jbia.cli.stack.ProjectHome;
import picocli.CommandLine.Option;

/** Where the jBIA services are: a URL, or the stack `bia up` started from a data directory. */
public class StackOptions {
    @Option(names = "--url", description = "The optimize-service's URL (default: the stack `bia up` started).")
    String url;

    @Option(names = "--data-dir", description = "Where `bia up` keeps the stack's data, logs and state "
            + "(default: .bia in the project).")
    Path dataDir;

    public Path dataDir() {
        return dataDir != null ? dataDir.toAbsolutePath() : ProjectHome.find().resolve(".bia");
    }

    public String url() {
        if (url != null) {
            return url;
        }
        return JbiaStack.read(dataDir())
                .filter(s -> s.service("optimize-service").isAlive())
                .map(JbiaStack.State::apiUrl)
                .orElseThrow(() -> new IllegalStateException("no jBIA stack is running from " + dataDir()
                        + ": start one with `./bia up`, or pass --url"));
    }

    public JbiaClient client() {
        return new JbiaClient(url());
    }
}
