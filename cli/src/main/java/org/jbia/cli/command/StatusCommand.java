package org.jbia.cli.command;

import java.util.concurrent.Callable;
import org.jbia.cli.stack.JbiaStack;
import org.jbia.cli.stack.ServiceProcess;
import org.jbia.common.stack.LocalStackProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bia status}: what runs and where it listens. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show whether the jBIA stack started by `bia up` is running, and where each part listens. "
                + "Exit code 0 when everything runs, 1 otherwise.")
public class StatusCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Override
    public Integer call() {
        var state = JbiaStack.read(stack.dataDir());
        if (state.isEmpty()) {
            System.out.println("jBIA is not running (no stack started from " + stack.dataDir() + ")");
            return 1;
        }
        return print(state.get()) ? 0 : 1;
    }

    static boolean print(JbiaStack.State state) {
        boolean infra = LocalStackProcess.isAlive(state.infra());
        boolean all = infra;
        System.out.printf("  %-17s %-8s kafka %s, s3 %s (pid %d)%n", "local stack", infra ? "running" : "DOWN",
                state.infra().kafkaBootstrap(), state.infra().s3Endpoint(), state.infra().pid());
        for (ServiceProcess.Handle s : state.services()) {
            boolean alive = s.isAlive();
            all &= alive;
            System.out.printf("  %-17s %-8s %s (pid %d, log %s)%n", s.name(), alive ? "running" : "DOWN", s.url(),
                    s.pid(), s.log());
        }
        System.out.println("  REST API: " + state.apiUrl() + "/jobs");
        return all;
    }
}
