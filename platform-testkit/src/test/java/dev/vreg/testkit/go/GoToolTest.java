package dev.vreg.testkit.go;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoToolTest {

    @TempDir
    Path dir;

    @Test
    void goSeesOnlyTheToolsEnvironment() throws Exception {
        GoTool go = GoTool.builder(dir).proxy("http://127.0.0.1:9").env("GOAUTH", "off").build();
        GoResult result = go.run("env", "-json").assertSuccess();
        Map<String, Object> env = new ObjectMapper().readerForMapOf(Object.class).readValue(result.stdout());
        assertThat(env).containsEntry("GOPROXY", "http://127.0.0.1:9")
                .containsEntry("GOSUMDB", "off")
                .containsEntry("GONOSUMDB", "")
                .containsEntry("GONOPROXY", "none")
                .containsEntry("GOPRIVATE", "")
                .containsEntry("GOINSECURE", "")
                .containsEntry("GOFLAGS", "-modcacherw")
                .containsEntry("GOTOOLCHAIN", "local")
                .containsEntry("GOENV", "")
                .containsEntry("GOAUTH", "off")
                .containsEntry("CGO_ENABLED", "0")
                .containsEntry("GOMODCACHE", go.modCache().toString())
                .containsEntry("GOPATH", go.goPath().toString())
                .containsEntry("GOCACHE", go.goCache().toString());
        // With GOENV=off go reports no go env file at all, and telemetry stays inside the tool's own HOME.
        assertThat(env.get("GOTELEMETRYDIR").toString()).startsWith(go.home().toString());
        assertThat(go.environment()).containsEntry("GOENV", "off").containsEntry("HOME", go.home().toString())
                .doesNotContainKey("GONOSUMCHECK");
    }

    @Test
    void eachToolHasItsOwnModuleCacheButMayShareTheBuildCache() {
        Path cache = dir.resolve("shared-gocache");
        GoTool one = GoTool.builder(dir).goCache(cache).build();
        GoTool two = GoTool.builder(dir).goCache(cache).build();
        assertThat(one.modCache()).isNotEqualTo(two.modCache());
        assertThat(one.goPath()).isNotEqualTo(two.goPath());
        assertThat(one.home()).isNotEqualTo(two.home());
        assertThat(one.goCache()).isEqualTo(two.goCache()).isEqualTo(cache);
    }

    @Test
    void aRunThatOutlastsTheTimeoutIsKilled() {
        try (StaticGoProxy proxy = StaticGoProxy.start(dir.resolve("proxy"),
                GoModule.builder("example.com/slow", "v1.0.0").build())) {
            proxy.inject("/example.com/slow/@v/list", Fault.delay(Duration.ofSeconds(60)));
            GoTool go = GoTool.builder(dir).proxy(proxy.baseUrl()).timeout(Duration.ofSeconds(3)).build();
            GoResult result = go.run("list", "-m", "-versions", "example.com/slow");
            assertThat(result.timedOut()).isTrue();
            assertThat(result.succeeded()).isFalse();
            assertThat(result.exitCode()).isEqualTo(-1);
            assertThat(result.duration()).isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void readsGoSumLines() throws Exception {
        Path module = dir.resolve("m");
        Files.createDirectories(module);
        Files.writeString(module.resolve("go.sum"),
                "example.com/a v1.0.0 h1:abc=\nexample.com/a v1.0.0/go.mod h1:def=\n");
        assertThat(GoTool.readGoSum(module)).containsExactly(
                new GoSumLine("example.com/a", "v1.0.0", "h1:abc="),
                new GoSumLine("example.com/a", "v1.0.0/go.mod", "h1:def="));
        assertThat(GoTool.readGoSum(dir)).isEmpty();
    }
}
