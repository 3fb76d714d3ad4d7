package org.jbia.cli.command;

import java.util.Map;
import java.util.concurrent.Callable;
import org.jbia.cli.stack.JbiaStack;
import org.jbia.cli.stack.ProjectHome;
import org.jbia.cli.stack.ServiceProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bia up}: the embedded Kafka broker and S3 server, then the three services, in the background. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start jBIA on this machine: an embedded Kafka broker and S3 server, then augment-service, "
                + "train-service and optimize-service, each its own process. Returns once all of them answer and "
                + "leaves them running; `bia down` stops them.")
public class UpCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Override
    public Integer call() {
        var running = JbiaStack.read(stack.dataDir());
        if (running.isPresent() && running.get().services().stream().allMatch(ServiceProcess.Handle::isAlive)) {
            System.out.println("jBIA is already running from " + stack.dataDir() + ":");
            StatusCommand.print(running.get());
            return 0;
        }
        if (running.isPresent()) {
            JbiaStack.down(stack.dataDir());
        }
        System.err.println("starting jBIA (Kafka, S3, augment-service, train-service, optimize-service)...");
        long start = System.nanoTime();
        JbiaStack.State state = JbiaStack.up(ProjectHome.find(), stack.dataDir(), Map.of(), true);
        System.out.printf("jBIA is up (%.1f s):%n", (System.nanoTime() - start) / 1e9);
        StatusCommand.print(state);
        return 0;
    }
}
