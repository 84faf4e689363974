package dev.vreg.host.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vreg token}: personal tokens handled on the database directly. The instance admin's first token is printed
 * once, at the first start; when it is lost, the API can no longer be used to make another, so the operator makes
 * one here, with the same configuration as {@code vreg run}.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Create, list and revoke personal tokens without the API (e.g. when the admin's token is lost).",
        subcommands = {TokenCreateCommand.class, TokenListCommand.class, TokenRevokeCommand.class})
final class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand: create, list or revoke");
    }
}
