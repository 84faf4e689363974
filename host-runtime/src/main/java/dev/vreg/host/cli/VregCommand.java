package dev.vreg.host.cli;

import dev.vreg.host.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vreg} command line. Without a subcommand it runs the server. */
@Command(name = "vreg", mixinStandardHelpOptions = true, versionProvider = VregCommand.VersionProvider.class,
        description = "A virtual registry for package managers; Go modules first.",
        subcommands = {RunCommand.class, MigrateCommand.class, TokenCommand.class, VerifyStoreCommand.class})
public final class VregCommand implements Runnable {

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new VregCommand());
        String[] effective = args.length == 0 || args[0].startsWith("-") && !isGlobalOption(args[0])
                ? prepend("run", args) : args;
        System.exit(cli.execute(effective));
    }

    private static boolean isGlobalOption(String arg) {
        return arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version");
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"vreg " + Version.PLATFORM};
        }
    }
}
