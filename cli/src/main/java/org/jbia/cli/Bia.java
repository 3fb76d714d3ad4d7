package org.jbia.cli;

import org.jbia.cli.command.BenchCommand;
import org.jbia.cli.command.BundleCommand;
import org.jbia.cli.command.DemoCommand;
import org.jbia.cli.command.DownCommand;
import org.jbia.cli.command.DownloadCommand;
import org.jbia.cli.command.InspectCommand;
import org.jbia.cli.command.OptimizeCommand;
import org.jbia.cli.command.PlotCommand;
import org.jbia.cli.command.PredictCommand;
import org.jbia.cli.command.PreviewCommand;
import org.jbia.cli.command.SimulateCommand;
import org.jbia.cli.command.StatusCommand;
import org.jbia.cli.command.StudyCommand;
import org.jbia.cli.command.TrainCommand;
import org.jbia.cli.command.UpCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code bia} command. */
@Command(name = "bia", mixinStandardHelpOptions = true, version = "jBIA 0.1.0",
        description = "jBIA: train and tune CNN classifiers on astronomical cutouts, as Kafka-driven services.",
        subcommands = {DemoCommand.class, UpCommand.class, StatusCommand.class, DownCommand.class, TrainCommand.class,
                InspectCommand.class, SimulateCommand.class, PreviewCommand.class, DownloadCommand.class,
                BenchCommand.class, PlotCommand.class, OptimizeCommand.class, StudyCommand.class,
                PredictCommand.class, BundleCommand.class,
                CommandLine.HelpCommand.class})
public final class Bia {

    /** The command line with jBIA's error handling: one line naming the problem, exit code 1. */
    public static CommandLine commandLine() {
        return new CommandLine(new Bia())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("bia " + cmd.getCommandName() + ": " + e.getMessage());
                    return 1;
                });
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        // minio's HTTP client and the JDK's keep non-daemon threads; the command is done.
        System.exit(code);
    }
}
