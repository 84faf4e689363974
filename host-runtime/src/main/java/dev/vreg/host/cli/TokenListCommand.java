package dev.vreg.host.cli;

import dev.vreg.host.identity.TokenStore;
import io.vertx.sqlclient.Pool;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vreg token list}: a user's personal tokens as an aligned table, so the operator can pick one to revoke.
 * Token values are not stored and hashes are never shown.
 */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List a user's personal tokens (never their values or hashes).")
final class TokenListCommand implements Callable<Integer> {

    private static final List<String> HEADER = List.of("ID", "NAME", "SCOPES", "EXPIRES", "LAST USED", "CREATED");

    @Spec
    CommandSpec spec;

    @Option(names = "--user", required = true, paramLabel = "USERNAME", description = "Whose tokens to list")
    String user;

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        return CommandDatabase.run(options, spec, "GET /api/v1/users/{username}/tokens", this::list);
    }

    private int list(Pool pool) {
        List<TokenStore.TokenInfo> tokens = CommandDatabase.await(new TokenStore(pool).listPersonal(user))
                .orElseThrow(() -> new CommandFailure("user '" + user + "' does not exist"));
        List<List<String>> table = new ArrayList<>();
        table.add(HEADER);
        for (TokenStore.TokenInfo token : tokens) {
            table.add(List.of(Long.toString(token.id()), token.name(), String.join(",", token.scopes()),
                    time(token.expiresAt()), time(token.lastUsedAt()), time(token.createdAt())));
        }
        print(table, spec.commandLine().getOut());
        return 0;
    }

    private static String time(Instant time) {
        return time == null ? "never" : time.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Left-aligned columns two spaces apart; the last one is not padded, so lines carry no trailing blanks. */
    private static void print(List<List<String>> table, PrintWriter out) {
        int columns = HEADER.size();
        int[] widths = new int[columns];
        for (List<String> row : table) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : table) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns - 1; i++) {
                line.append(row.get(i)).append(" ".repeat(widths[i] - row.get(i).length() + 2));
            }
            out.println(line.append(row.get(columns - 1)));
        }
        out.flush();
    }
}
