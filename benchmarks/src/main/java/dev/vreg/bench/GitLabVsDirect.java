package dev.vreg.bench;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vreg.testkit.go.GoResult;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.GoToolBuilder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * vreg's GitLab upstream against the go command's own direct fetch ({@code GOPROXY=direct}) of the same git
 * repositories, which is what GitLab's experimental clone-based Go proxy costs at best: {@code go mod download} of a
 * consumer requiring every module of a {@link GitLabFixture}, with a fresh module cache every time. Cold, vreg has
 * seen no version of the round and reads everything from GitLab's API; warm, it serves what it cached. The direct
 * fetch has nothing to keep between runs, so its "warm" run is the same clone once more (with the file system's
 * cache warm). Every run's {@code h1:} hashes must be those of the first direct run, or the scenario fails.
 */
final class GitLabVsDirect {

    /** The column of the direct fetch. */
    static final String DIRECT = "direct";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A vreg to measure: its name (the table's column), its root URL and an admin token. */
    record Target(String name, String rootUrl, String adminToken) {
    }

    /**
     * One {@code go mod download}: its seconds, the GitLab API requests it caused, and the hashes go computed, as
     * {@code module@version -> [zip h1, go.mod h1]}.
     */
    record Run(double seconds, long apiRequests, Map<String, List<String>> sums) {
    }

    private final GitLabFixture gitlab;
    private final Path work;
    private final Path goCache;
    private final Map<String, String> goproxies = new LinkedHashMap<>();

    GitLabVsDirect(GitLabFixture gitlab, Path work) {
        this.gitlab = gitlab;
        this.work = work;
        this.goCache = work.resolve("gocache");
    }

    /**
     * Gives {@code target} a group {@code bench} with a public Go registry {@code gitlab} whose one upstream is the
     * stand-in, through the admin API as an operator would; answers the registry's GOPROXY URL.
     */
    String configure(Target target) throws IOException, InterruptedException {
        String api = target.rootUrl() + "/api/v1";
        post(target, api + "/groups", new JsonObject().put("name", "bench"));
        post(target, api + "/groups/bench/registries", new JsonObject().put("name", "gitlab").put("format", "go")
                .put("public", true));
        JsonObject settings = new JsonObject().put("modulePaths", new JsonArray()
                .add(new JsonObject().put("prefix", GitLabFixture.prefix()).put("namespace", "bench")));
        long upstream = post(target, api + "/groups/bench/upstreams", new JsonObject().put("kind", "gitlab")
                .put("name", "gitlab").put("url", gitlab.url()).put("settings", settings)
                .put("moduleHints", new JsonArray().add(GitLabFixture.prefix()))).getLong("id");
        post(target, api + "/groups/bench/registries/gitlab/upstreams", new JsonObject().put("upstreamId", upstream));
        String goproxy = target.rootUrl() + "/go/bench/gitlab";
        goproxies.put(target.name(), goproxy);
        return goproxy;
    }

    /**
     * One round: publishes {@code v1.<round>.0} of every module, then runs cold through every configured vreg and
     * directly, then warm through every vreg and directly again; the order is reversed every other round. Adds the
     * seconds to {@code table} and answers every run by its name ({@code vreg cold}, {@code direct warm}, ...).
     */
    Map<String, Run> round(int round, Table table) {
        List<GitLabFixture.ModuleVersion> modules = gitlab.publish(round);
        List<String> order = new ArrayList<>(goproxies.keySet());
        order.add(DIRECT);
        if (round % 2 == 1) {
            Collections.reverse(order);
        }
        Map<String, Run> runs = new LinkedHashMap<>();
        for (String temperature : List.of("cold", "warm")) {
            for (String name : order) {
                Run run = download(name + "-" + temperature + "-" + round, modules, goproxies.get(name));
                runs.put(name + " " + temperature, run);
                table.add(row(temperature), "s", false, name, run.seconds());
            }
        }
        Map<String, List<String>> expected = runs.get(DIRECT + " cold").sums();
        if (expected.size() != modules.size()) {
            throw new IllegalStateException("the direct fetch reported " + expected.size() + " of "
                    + modules.size() + " modules");
        }
        runs.forEach((name, run) -> {
            if (!run.sums().equals(expected)) {
                throw new IllegalStateException(name + " got other hashes than the direct fetch: " + run.sums()
                        + " instead of " + expected);
            }
        });
        return runs;
    }

    /** The title of the table's row for {@code cold} or {@code warm}. */
    String row(String temperature) {
        return String.format(Locale.ROOT, "`go mod download`, %d modules from GitLab (%d %s), %s", gitlab.modules(),
                gitlab.projects(), gitlab.projects() == 1 ? "repository" : "repositories", temperature);
    }

    /** {@code go mod download -json} of a consumer of {@code modules}; through {@code goproxy}, or direct if null. */
    private Run download(String name, List<GitLabFixture.ModuleVersion> modules, String goproxy) {
        Path consumer = consumer(name, modules);
        GoToolBuilder builder = GoTool.builder(work.resolve("go")).goCache(goCache).timeout(Duration.ofMinutes(10));
        if (goproxy == null) {
            gitlab.directEnvironment().forEach(builder::env);
        } else {
            builder.proxy(goproxy);
        }
        GoTool go = builder.env("GOFLAGS", "-modcacherw -mod=mod").build();
        long requests = gitlab.apiRequests();
        long start = System.nanoTime();
        GoResult result = go.run(consumer, "mod", "download", "-json");
        double seconds = (System.nanoTime() - start) / 1e9;
        result.assertSuccess();
        return new Run(seconds, gitlab.apiRequests() - requests, sums(result.stdout()));
    }

    private Path consumer(String name, List<GitLabFixture.ModuleVersion> modules) {
        StringBuilder goMod = new StringBuilder("module consumer.test/app\n\ngo 1.21\n\nrequire (\n");
        modules.forEach(m -> goMod.append('\t').append(m.path()).append(' ').append(m.version()).append('\n'));
        goMod.append(")\n");
        try {
            Path dir = Files.createDirectories(work.resolve("consumers").resolve(name));
            Files.writeString(dir.resolve("go.mod"), goMod, StandardCharsets.UTF_8);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, List<String>> sums(String json) {
        Map<String, List<String>> sums = new TreeMap<>();
        try (MappingIterator<Map<String, Object>> objects = JSON.readerForMapOf(Object.class).readValues(json)) {
            while (objects.hasNext()) {
                Map<String, Object> module = objects.next();
                sums.put(module.get("Path") + "@" + module.get("Version"),
                        List.of(String.valueOf(module.get("Sum")), String.valueOf(module.get("GoModSum"))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("go mod download printed JSON that does not parse", e);
        }
        return sums;
    }

    private static JsonObject post(Target target, String url, JsonObject body)
            throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + target.adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new IllegalStateException(target.name() + ": POST " + url + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return response.body().startsWith("{") ? new JsonObject(response.body()) : new JsonObject();
    }
}
