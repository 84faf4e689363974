package dev.vreg.go;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vreg.go.module.ModuleEscaping;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import dev.vreg.spi.ContentCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads real modules with the real go command, which verifies them against the checksum database, and checks
 * that this plugin accepts the files and computes the same h1 hashes. Fails, rather than skips, without go.
 */
class RealModuleHashTest {

    private static final List<String> MODULES = List.of(
            "golang.org/x/text@v0.14.0",
            "github.com/google/uuid@v1.6.0",
            "rsc.io/quote@v1.5.2",
            "github.com/BurntSushi/toml@v1.3.2");

    private final GoFormatPlugin plugin = new GoFormatPlugin();

    @Test
    void hashesMatchTheGoCommand(@TempDir Path tmp) throws Exception {
        List<Map<String, String>> downloads = download(tmp);
        assertThat(downloads).hasSize(MODULES.size());
        for (Map<String, String> d : downloads) {
            assertThat(d.get("Error")).as("go error").isNull();
            String base = ModuleEscaping.escapePath(d.get("Path")) + "/@v/" + ModuleEscaping.escapeVersion(
                    d.get("Version"));

            ArtifactRef zip = plugin.classify(base + ".zip");
            assertThat(zip.kind()).isEqualTo(AssetKind.CONTENT);
            assertThat(plugin.check(zip, Path.of(d.get("Zip"))).attributes())
                    .as(d.get("Path") + " zip").containsEntry("h1", d.get("Sum"));

            ArtifactRef mod = plugin.classify(base + ".mod");
            assertThat(plugin.check(mod, Path.of(d.get("GoMod"))).attributes())
                    .as(d.get("Path") + " go.mod").containsEntry("h1", d.get("GoModSum"));

            ArtifactRef info = plugin.classify(base + ".info");
            assertThat(info.kind()).isEqualTo(AssetKind.CONTENT);
            assertThat(plugin.check(info, Path.of(d.get("Info")))).isEqualTo(ContentCheck.NONE);
        }
    }

    private static List<Map<String, String>> download(Path tmp) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("go", "mod", "download", "-json"));
        command.addAll(MODULES);
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        Map<String, String> env = pb.environment();
        String proxy = System.getenv("GOPROXY");
        for (String unset : List.of("GONOSUMDB", "GOPRIVATE", "GONOPROXY", "GOINSECURE", "GOFLAGS", "GOENV")) {
            env.remove(unset);
        }
        env.put("GOPROXY", proxy != null && !proxy.isBlank() ? proxy : "https://proxy.golang.org");
        env.put("GOSUMDB", "sum.golang.org");
        env.put("GOMODCACHE", tmp.resolve("modcache").toString());
        env.put("GOPATH", tmp.resolve("gopath").toString());
        env.put("GOTOOLCHAIN", "local");
        env.put("GOFLAGS", "-modcacherw");
        env.put("GOENV", "off");
        Path stdout = tmp.resolve("stdout.json");
        Path stderr = tmp.resolve("stderr.txt");
        Process go = pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!go.waitFor(5, TimeUnit.MINUTES)) {
            go.destroyForcibly();
            throw new AssertionError("go mod download did not finish within 5 minutes");
        }
        assertThat(go.exitValue()).as("go mod download failed: %s", Files.readString(stderr)).isZero();
        return parse(Files.readString(stdout, UTF_8));
    }

    /** {@code go mod download -json} prints one JSON object per module, one after another. */
    private static List<Map<String, String>> parse(String json) throws IOException {
        List<Map<String, String>> objects = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            while (p.nextToken() == JsonToken.START_OBJECT) {
                Map<String, String> fields = new HashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (p.nextToken() == JsonToken.VALUE_STRING) {
                        fields.put(name, p.getText());
                    } else {
                        p.skipChildren();
                    }
                }
                objects.add(fields);
            }
        }
        return objects;
    }
}
