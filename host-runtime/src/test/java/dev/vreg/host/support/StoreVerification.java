package dev.vreg.host.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.cli.VregCommand;
import dev.vreg.host.config.VregConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Runs {@code vreg verify-store}, as an operator would, beside a running node: after a fault, no cached file's blob
 * may differ from the size and digest its entry records.
 */
public final class StoreVerification {

    private StoreVerification() {
    }

    /** Asserts that {@code vreg verify-store} finds every cached file of {@code config}'s node intact. */
    public static void assertIntact(VregConfig config) {
        Path file;
        try {
            file = Files.writeString(Files.createTempFile(config.dataDir, "verify-store", ".yaml"),
                    "dataDir: " + config.dataDir + "\nstorage:\n  path: " + config.blobDir() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Run run = run("verify-store", "--config", file.toString());
        assertThat(run.exit()).as("vreg verify-store: %s%s", run.out(), run.err()).isZero();
        assertThat(run.out()).as("bad files").isEmpty();
        assertThat(run.err()).contains("0 bad");
    }

    /** What a {@code vreg} command printed and answered. */
    public record Run(int exit, String out, String err) {
    }

    /** Runs {@code vreg args...} in this process, as the command line would. */
    public static Run run(String... args) {
        CommandLine cli = new CommandLine(new VregCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }
}
