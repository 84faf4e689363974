package dev.vreg.host.cli;

import dev.vreg.host.identity.TokenStore;
import io.vertx.sqlclient.Pool;
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

    private int revoke(Pool pool) {
        TokenStore.Revoked revoked = CommandDatabase.await(new TokenStore(pool).revokePersonal(id))
                .orElseThrow(() -> new CommandFailure("there is no personal token with id " + id));
        CommandDatabase.await(CommandAudit.record(pool, "token.revoked",
                "/users/" + revoked.username() + "/tokens/" + id, null));
        spec.commandLine().getErr().println("vreg: revoked token " + id + " '" + revoked.name() + "' of user "
                + revoked.username());
        return 0;
    }
}
