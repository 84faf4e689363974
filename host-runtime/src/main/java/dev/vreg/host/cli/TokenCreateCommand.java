package dev.vreg.host.cli;

import dev.vreg.host.identity.Scope;
import dev.vreg.host.identity.TokenStore;
import dev.vreg.host.config.ConfigException;
import dev.vreg.host.config.ConfigLoader;
import io.vertx.sqlclient.Pool;
import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code vreg token create}: a personal token for an existing user. The token alone goes to standard output, so a
 * script can capture it; what was created is said on standard error.
 */
@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Create a personal token for an existing user and print it (only it) on standard output.")
final class TokenCreateCommand implements Callable<Integer> {

    private static final int MAX_NAME_LENGTH = 100;

    @Spec
    CommandSpec spec;

    @Option(names = "--user", required = true, paramLabel = "USERNAME", description = "The user the token acts as")
    String user;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "cli",
            description = "Shown when tokens are listed (default: ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--scopes", split = ",", paramLabel = "SCOPE", converter = ScopeConverter.class,
            description = "read, write, admin, comma-separated (default: all three for the instance admin, else "
                    + "read,write)")
    List<Scope> scopes;

    @ArgGroup(exclusive = true)
    Expiry expiry;

    @Mixin
    ConfigOptions options;

    /** One way to say when the token expires, or neither for a token that does not. */
    static final class Expiry {
        @Option(names = "--expires-at", paramLabel = "TIME", converter = InstantConverter.class,
                description = "Expiry time, RFC 3339 (2030-01-31T00:00:00Z)")
        Instant at;

        @Option(names = "--expires-in", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Expiry from now: 30d, 12h, 90m or ISO-8601 (P30D)")
        Duration in;
    }

    @Override
    public Integer call() {
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new ParameterException(spec.commandLine(), "--name must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        Instant expires = expiresAt();
        return CommandDatabase.run(options, spec, "POST /api/v1/users/{username}/tokens",
                pool -> create(pool, expires));
    }

    private Instant expiresAt() {
        if (expiry == null) {
            return null;
        }
        Instant now = Instant.now();
        Instant expires;
        try {
            expires = expiry.at != null ? expiry.at : now.plus(expiry.in);
        } catch (DateTimeException | ArithmeticException e) {
            throw new ParameterException(spec.commandLine(), "--expires-in is too long");
        }
        if (!expires.isAfter(now)) {
            throw new ParameterException(spec.commandLine(), "--expires-at must be in the future");
        }
        return expires;
    }

    private int create(Pool pool, Instant expires) {
        List<Scope> asked = scopes == null ? null : scopes.stream().distinct().sorted().toList();
        TokenStore.Issued issued = CommandDatabase.await(new TokenStore(pool).createPersonal(user, name, asked,
                expires)).orElseThrow(() -> new CommandFailure("user '" + user + "' does not exist"));
        CommandDatabase.await(CommandAudit.record(pool, "token.created", "/users/" + user + "/tokens",
                new io.vertx.core.json.JsonObject().put("id", issued.info().id()).put("name", name)
                        .put("scopes", new io.vertx.core.json.JsonArray(issued.info().scopes()))
                        .put("expiresAt", expires == null ? null : expires.toString())));
        PrintWriter out = spec.commandLine().getOut();
        out.println(issued.token());
        out.flush();
        spec.commandLine().getErr().println("vreg: created token " + issued.info().id() + " '" + name
                + "' for user " + user + " (scopes " + String.join(",", issued.info().scopes()) + ", "
                + (expires == null ? "no expiry" : "expires " + expires) + ")");
        return 0;
    }

    static final class ScopeConverter implements ITypeConverter<Scope> {
        @Override
        public Scope convert(String value) {
            return Scope.parse(value.trim()).orElseThrow(() -> new TypeConversionException(
                    "'" + value + "' is not one of read, write, admin"));
        }
    }

    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return OffsetDateTime.parse(value.trim()).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not an RFC 3339 time such as "
                        + "2030-01-31T00:00:00Z");
            }
        }
    }

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration duration;
            try {
                duration = ConfigLoader.duration("--expires-in", value);
            } catch (ConfigException e) {
                throw new TypeConversionException("'" + value + "' is not a duration such as 30d, 12h or P30D");
            }
            if (duration.isZero() || duration.isNegative()) {
                throw new TypeConversionException("'" + value + "' is not a positive duration");
            }
            return duration;
        }
    }
}
