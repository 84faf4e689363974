package dev.vreg.host.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vreg token revoke}: deletes a personal token; running nodes stop accepting it at once. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = "Revoke (delete) a personal token by its id, as 'vreg token list' shows it.")
final class TokenRevokeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The token's id")
    long id;

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        return CommandDatabase.run(options, spec, "DELETE /api/v1/users/{username}/tokens/{id}", this::revoke);
    }

    private int revoke(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        String name;
        String username;
        try (PreparedStatement delete = connection.prepareStatement("""
                DELETE FROM tokens t USING users u
                WHERE t.id = ? AND t.kind = 'personal' AND u.id = t.user_id
                RETURNING t.name, u.username""")) {
            delete.setLong(1, id);
            try (ResultSet rows = delete.executeQuery()) {
                if (!rows.next()) {
                    throw new CommandFailure("there is no personal token with id " + id);
                }
                name = rows.getString("name");
                username = rows.getString("username");
            }
        }
        CommandDatabase.commitAndNotifyAuth(connection);
        spec.commandLine().getErr().println("vreg: revoked token " + id + " '" + name + "' of user " + username);
        return 0;
    }
}
