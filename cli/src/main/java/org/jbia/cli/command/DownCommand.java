package org.jbia.cli.command;

import java.util.concurrent.Callable;
import org.jbia.cli.stack.JbiaStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bia down}: stop what {@code bia up} started. Data stays for the next {@code bia up}. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop the services and the embedded Kafka broker and S3 server started by `bia up`. "
                + "Their data (jobs, models) stays in the data directory for the next `bia up`.")
public class DownCommand implements Callable<Integer> {
    @Mixin
    StackOptions stack;

    @Override
    public Integer call() {
        var stopped = JbiaStack.down(stack.dataDir());
        if (stopped.isEmpty()) {
            System.out.println("nothing was running from " + stack.dataDir());
        } else {
            stopped.forEach(s -> System.out.println("stopped " + s));
        }
        return 0;
    }
}
