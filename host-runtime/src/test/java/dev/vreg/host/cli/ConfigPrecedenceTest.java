package dev.vreg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.host.config.ConfigException;
import dev.vreg.host.config.VregConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** YAML, then environment, then flags: each later source wins, and bad values are named precisely. */
class ConfigPrecedenceTest {

    @TempDir
    Path temp;

    private VregConfig load(Map<String, String> env, String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args);
        return run.options.load(env);
    }

    @Test
    void defaultsAreTheEmbeddedSetupOnLoopback() {
        VregConfig config = load(Map.of());
        assertThat(config.http.host).isEqualTo("127.0.0.1");
        assertThat(config.http.port).isEqualTo(8080);
        assertThat(config.dataDir).isEqualTo(Path.of("data"));
        assertThat(config.database.url).isNull();
        assertThat(config.plugins.dir).isEqualTo(Path.of("plugins"));
        assertThat(config.cache.metadataValidity).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.upstreams.transferDeadline).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.upstreams.minTransferRate).isEqualTo(16 * 1024);
        assertThat(config.upstreams.minTransferRateWindow).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.bootstrap.goUpstreams).isNull();
        assertThat(config.publicUrl()).isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void environmentOverridesTheFileAndFlagsOverrideBoth() throws Exception {
        Path file = Files.writeString(temp.resolve("vreg.yaml"), """
                dataDir: /srv/from-file
                http:
                  port: 9000
                  host: 0.0.0.0
                cache:
                  metadataValidity: 2m
                upstreams:
                  transferDeadline: 20m
                  minTransferRate: 1024
                  minTransferRateWindow: 1m
                bootstrap:
                  goUpstreams: [https://file.example]
                """);
        Map<String, String> env = Map.of(
                "VREG_CONFIG", file.toString(),
                "VREG_HTTP_PORT", "9100",
                "VREG_DATA_DIR", "/srv/from-env",
                "VREG_UPSTREAM_TRANSFER_DEADLINE", "45m",
                "VREG_GO_UPSTREAMS", "https://a.example, https://b.example/base/");

        VregConfig fromEnv = load(env);
        assertThat(fromEnv.http.host).isEqualTo("0.0.0.0");
        assertThat(fromEnv.http.port).isEqualTo(9100);
        assertThat(fromEnv.dataDir).isEqualTo(Path.of("/srv/from-env"));
        assertThat(fromEnv.cache.metadataValidity).isEqualTo(Duration.ofMinutes(2));
        assertThat(fromEnv.upstreams.transferDeadline).isEqualTo(Duration.ofMinutes(45));
        assertThat(fromEnv.upstreams.minTransferRate).isEqualTo(1024);
        assertThat(fromEnv.upstreams.minTransferRateWindow).isEqualTo(Duration.ofMinutes(1));
        assertThat(load(Map.of("VREG_UPSTREAM_MIN_TRANSFER_RATE", "0")).upstreams.minTransferRate).isZero();
        assertThat(fromEnv.bootstrap.goUpstreams).containsExactly("https://a.example", "https://b.example/base/");

        VregConfig fromFlags = load(env, "--port", "9200", "--data-dir", "/srv/from-flag",
                "--go-upstreams", "http://127.0.0.1:1234");
        assertThat(fromFlags.http.port).isEqualTo(9200);
        assertThat(fromFlags.dataDir).isEqualTo(Path.of("/srv/from-flag"));
        assertThat(fromFlags.bootstrap.goUpstreams).containsExactly("http://127.0.0.1:1234");
    }

    @Test
    void badValuesAreRefusedWithTheSettingsName() throws Exception {
        assertThatThrownBy(() -> load(Map.of("VREG_HTTP_PORT", "eighty")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("VREG_HTTP_PORT");
        assertThatThrownBy(() -> load(Map.of("VREG_HTTP_PORT", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("1-65535");
        assertThatThrownBy(() -> load(Map.of("VREG_GO_UPSTREAMS", "ftp://x.example")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not an http:// or https:// URL");
        assertThatThrownBy(() -> load(Map.of("VREG_UPSTREAMS_ALLOWED_NETWORKS", "10.0.0.0/8,intranet.example")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("VREG_UPSTREAMS_ALLOWED_NETWORKS")
                .hasMessageContaining("'intranet.example' is not an IP address or CIDR block");
        assertThatThrownBy(() -> load(Map.of("VREG_METADATA_VALIDITY", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("VREG_METADATA_VALIDITY");
        assertThatThrownBy(() -> load(Map.of("VREG_UPSTREAM_MIN_TRANSFER_RATE", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("VREG_UPSTREAM_MIN_TRANSFER_RATE");
        assertThatThrownBy(() -> load(Map.of("VREG_UPSTREAM_TRANSFER_DEADLINE", "0s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("upstreams.transferDeadline");
        Path typo = Files.writeString(temp.resolve("typo.yaml"), "htp:\n  port: 1\n");
        assertThatThrownBy(() -> load(Map.of(), "--config", typo.toString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown setting 'htp'");
        assertThatThrownBy(() -> load(Map.of(), "--config", temp.resolve("missing.yaml").toString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
    }

    @Test
    void allowedNetworksComeFromTheFileOrAsACommaSeparatedList() throws Exception {
        assertThat(load(Map.of()).upstreams.allowedNetworks).isEmpty();
        Path file = Files.writeString(temp.resolve("networks.yaml"), """
                upstreams:
                  allowedNetworks: [10.20.0.0/16, "fd00::/8"]
                """);
        assertThat(load(Map.of(), "--config", file.toString()).upstreams.allowedNetworks)
                .containsExactly("10.20.0.0/16", "fd00::/8");
        assertThat(load(Map.of("VREG_CONFIG", file.toString(),
                "VREG_UPSTREAMS_ALLOWED_NETWORKS", " 192.168.7.0/24, ,127.0.0.1 ")).upstreams.allowedNetworks)
                .containsExactly("192.168.7.0/24", "127.0.0.1");
    }

    @Test
    void upstreamListsAreTrimmedAndEmptyOnesRefused() {
        assertThat(load(Map.of(), "--go-upstreams", " https://a.example ,,https://b.example").bootstrap.goUpstreams)
                .isEqualTo(List.of("https://a.example", "https://b.example"));
        assertThatThrownBy(() -> load(Map.of(), "--go-upstreams", " , "))
                .isInstanceOf(ConfigException.class).hasMessageContaining("at least one");
    }
}
