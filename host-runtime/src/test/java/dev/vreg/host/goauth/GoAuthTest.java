package dev.vreg.host.goauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.support.MovableClock;
import dev.vreg.host.support.PrivateGoRegistry;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoResult;
import dev.vreg.testkit.go.GoToolBuilder;
import dev.vreg.testkit.go.GoTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real go command against a private registry over the HTTPS of the embedded default, trusting the generated
 * CA through {@code SSL_CERT_FILE}, in each of the ways a current go client authenticates; a wrong or an expired
 * token fails with vreg's own message in go's output.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class GoAuthTest {

    static final GoModule ALPHA = GoModule.builder("example.com/alpha", "v1.2.0").build();
    static final String REFUSAL = "the token is not valid or has expired";

    @TempDir
    static Path temp;

    static final MovableClock CLOCK = new MovableClock();
    static PrivateGoRegistry registry;

    @BeforeAll
    static void start() {
        registry = PrivateGoRegistry.start(CLOCK, config -> { }, ALPHA);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    static GoToolBuilder go(String name, String goproxy) throws Exception {
        return GoTool.builder(Files.createDirectories(temp.resolve(name))).proxy(goproxy)
                .env("SSL_CERT_FILE", registry.vreg.caFile().toString());
    }

    static GoResult download(GoTool tool) {
        return tool.run("mod", "download", ALPHA.path() + "@" + ALPHA.version());
    }

    static Path netrc(String name, String machine, String password) throws Exception {
        Path file = Files.createDirectories(temp.resolve(name)).resolve("netrc");
        Files.writeString(file, "machine " + machine + " login " + PrivateGoRegistry.READER + " password " + password
                + "\n");
        return file;
    }

    @Test
    void aNetrcInHomeWithMachineHostAndPortIsUsedByDefault() throws Exception {
        GoTool tool = go("home-netrc", registry.goproxy()).build();
        Files.copy(netrc("home-netrc", "127.0.0.1:" + registry.httpsPort(), registry.readerToken),
                tool.home().resolve(".netrc"));
        download(tool).assertSuccess();
        assertThat(tool.modCache().resolve("cache/download/example.com/alpha/@v/v1.2.0.zip")).exists();
    }

    @Test
    void goauthNetrcReadsTheFileNamedByNetrcForAHostName() throws Exception {
        String goproxy = "https://localhost:" + registry.httpsPort() + "/go/acme/private";
        Path file = netrc("goauth-netrc", "localhost:" + registry.httpsPort(), registry.readerToken);
        download(go("goauth-netrc", goproxy).env("GOAUTH", "netrc").env("NETRC", file.toString()).build())
                .assertSuccess();
    }

    @Test
    void aGoauthCommandsBearerTokenIsUsed() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("command"));
        Path command = goauthCommand(dir, registry.readerToken, registry.readerToken);
        download(go("command", registry.goproxy()).env("GOAUTH", command.toString()).build()).assertSuccess();
        assertThat(Files.readAllLines(dir.resolve("runs.log"))).containsExactly("run 0:");
    }

    @Test
    void aftera401TheGoauthCommandRunsOnceMoreWithTheUrlAndTheResponseAndItsNewTokenIsUsed() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("command-401"));
        Path command = goauthCommand(dir, "vreg_not-a-real-token-abcdefghijklmnopqrstuvwxyz012", registry.readerToken);
        download(go("command-401", registry.goproxy()).env("GOAUTH", command.toString()).build()).assertSuccess();
        List<String> runs = Files.readAllLines(dir.resolve("runs.log"));
        assertThat(runs.get(0)).isEqualTo("run 0:");
        assertThat(runs).hasSizeGreaterThanOrEqualTo(2);
        assertThat(runs.get(1)).startsWith("run 1: " + registry.goproxy() + "/example.com/alpha/@v/");
        String stdin;
        try (Stream<Path> files = Files.list(dir)) {
            stdin = Files.readString(files.filter(f -> f.getFileName().toString().startsWith("stdin-"))
                    .findFirst().orElseThrow());
        }
        assertThat(stdin).startsWith("HTTP/1.1 401 Unauthorized").contains("Www-Authenticate: Basic realm=\"vreg\"");
    }

    /**
     * A GOAUTH command as go runs it: without arguments before the first request, printing {@code first}; with the
     * URL and the response on stdin after a 4xx, printing {@code again}. Each run is logged.
     */
    static Path goauthCommand(Path dir, String first, String again) throws Exception {
        Path script = dir.resolve("goauth.sh");
        Files.writeString(script, String.join("\n",
                "#!/bin/sh",
                "echo \"run $#:${1:+ $*}\" >> '" + dir.resolve("runs.log") + "'",
                "if [ $# -gt 0 ]; then",
                "  cat > '" + dir + "'/stdin-$$.txt",
                "  token='" + again + "'",
                "else",
                "  token='" + first + "'",
                "fi",
                "printf '%s\\n\\nAuthorization: Bearer %s\\n\\n' '" + registry.httpsBase() + "' \"$token\"",
                ""));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void aTokenInTheGoproxyUrlIsSentAsBasic() throws Exception {
        String goproxy = registry.goproxy().replace("https://", "https://" + PrivateGoRegistry.READER + ":"
                + registry.readerToken + "@");
        download(go("in-url", goproxy).env("GOAUTH", "off").build()).assertSuccess();
    }

    @Test
    void aWrongTokenFailsWithVregsMessage() throws Exception {
        Path file = netrc("wrong", "127.0.0.1:" + registry.httpsPort(),
                "vreg_wrong-token-abcdefghijklmnopqrstuvwxyz0123456789");
        GoResult result = download(go("wrong", registry.goproxy()).env("NETRC", file.toString()).build());
        result.assertFailure();
        assertThat(result.stderr()).contains("401 Unauthorized").contains(REFUSAL);
    }

    @Test
    void anExpiredTokenFailsWithVregsMessage() throws Exception {
        String token = registry.token("expiring", CLOCK.instant().plus(Duration.ofHours(1)));
        Path file = netrc("expired", "127.0.0.1:" + registry.httpsPort(), token);
        download(go("before-expiry", registry.goproxy()).env("NETRC", file.toString()).build()).assertSuccess();
        CLOCK.advance(Duration.ofHours(2));
        GoResult result = download(go("expired", registry.goproxy()).env("NETRC", file.toString()).build());
        result.assertFailure();
        assertThat(result.stderr()).contains("401 Unauthorized").contains(REFUSAL);
    }
}
