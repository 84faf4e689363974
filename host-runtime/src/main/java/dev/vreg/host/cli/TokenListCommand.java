package dev.vreg.host.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
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

    private int list(Connection connection) throws SQLException {
        List<List<String>> table = new ArrayList<>();
        table.add(HEADER);
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT u.id AS user_id, t.id, t.name, t.scopes, t.expires_at, t.last_used_at, t.created_at
                FROM users u LEFT JOIN tokens t ON t.user_id = u.id
                WHERE u.username = ? ORDER BY t.id""")) {
            select.setString(1, user);
            try (ResultSet rows = select.executeQuery()) {
                boolean userExists = false;
                while (rows.next()) {
                    userExists = true;
                    if (rows.getObject("id") != null) {
                        table.add(List.of(Long.toString(rows.getLong("id")), rows.getString("name"),
                                String.join(",", (String[]) rows.getArray("scopes").getArray()),
                                time(rows, "expires_at"), time(rows, "last_used_at"), time(rows, "created_at")));
                    }
                }
                if (!userExists) {
                    throw new CommandFailure("user '" + user + "' does not exist");
                }
            }
        }
        print(table, spec.commandLine().getOut());
        return 0;
    }

    private static String time(ResultSet rows, String column) throws SQLException {
        OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
        return time == null ? "never" : time.toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
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
