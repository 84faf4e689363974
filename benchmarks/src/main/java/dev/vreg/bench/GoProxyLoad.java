package dev.vreg.bench;

import dev.vreg.testkit.go.GoModule;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark of issue "performance at the limit": vreg side by side with Debian's nginx serving the same module
 * tree from disk (the static limit, and the upstream everyone fetches from), {@code GOPROXY=file://} (the go
 * command's own limit) and, when their command lines are given, other Go module proxies. Every scenario runs in
 * rounds that alternate the order of the servers, so that the noise of a shared machine falls on all of them alike;
 * the table shows medians and vreg's ratio to each other server. See docs/benchmarks.md.
 *
 * <pre>
 * java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" dev.vreg.bench.GoProxyLoad \
 *     [--rounds 3] [--seconds 5] [--graph 150] [--large-mib 350] [--warm-zip-mib 24] \
 *     [--jar host-runtime/target/vreg.jar] [--plugins plugins] [--work target/bench] \
 *     [--java-options "-Xmx512m"] [--peer 'NAME=COMMAND with {port} {upstream} {dir}']... \
 *     [--compare-jar OTHER/vreg.jar [--compare-plugins OTHER/plugins]] [--only warm,graph,large,gitlab,restart] \
 *     [--gitlab-modules 20] [--gitlab-projects 1] [--soak-minutes 10]
 * </pre>
 * {@code --compare-jar} runs a second vreg build (column {@code before}) beside this one, for a change's before and
 * after in one run. The group {@code gitlab} measures vreg's GitLab upstream against {@code GOPROXY=direct} from
 * the same git repositories ({@link GitLabVsDirect}).
 */
public final class GoProxyLoad {

    private static final String VREG = "vreg";
    private static final String NGINX = "nginx";
    private static final String FILE = "file://";
    private static final String BEFORE = "before";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private record Server(String name, String baseUrl, ServerProcess process) {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Path work = Files.createDirectories(o.work()).resolve("run-" + System.currentTimeMillis());
        Fixture fixture = Fixture.create(work.resolve("tree"), o.warmZipMiB());
        Wrk wrk = new Wrk("wrk");
        List<AutoCloseable> started = new ArrayList<>();
        try {
            Nginx nginx = Nginx.start(Path.of("/usr/sbin/nginx"), fixture.root(), work.resolve("nginx"), freePort());
            started.add(nginx);
            Vreg vreg = Vreg.start(o.jar(), o.plugins(), work.resolve("vreg"), freePort(), freePort(),
                    nginx.baseUrl(), o.javaOptions(), work.resolve("vreg.log"));
            started.add(vreg);
            long firstStart = vreg.readyMillis();
            List<Server> servers = new ArrayList<>();
            servers.add(new Server(VREG, vreg.baseUrl(), vreg.process()));
            Vreg before = null;
            if (o.compareJar() != null) {
                before = Vreg.start(o.compareJar(), o.comparePlugins(), work.resolve("vreg-before"), freePort(),
                        freePort(), nginx.baseUrl(), o.javaOptions(), work.resolve("vreg-before.log"));
                started.add(before);
                servers.add(new Server(BEFORE, before.baseUrl(), before.process()));
            }
            for (Map.Entry<String, String> peer : o.peers().entrySet()) {
                int port = freePort();
                Path dir = Files.createDirectories(work.resolve("peer-" + peer.getKey()));
                String command = peer.getValue().replace("{port}", Integer.toString(port))
                        .replace("{upstream}", nginx.baseUrl()).replace("{dir}", dir.toString());
                ServerProcess process = ServerProcess.start(peer.getKey(), List.of("sh", "-c", "exec " + command),
                        Map.of(), dir.resolve("peer.log"));
                started.add(process);
                String base = "http://127.0.0.1:" + port;
                process.awaitStatus(base + fixture.small().infoPath(), 200, 60_000);
                servers.add(new Server(peer.getKey(), base, process));
            }
            servers.add(new Server(NGINX, nginx.baseUrl(), null));
            List<String> columns = new ArrayList<>(servers.stream().map(Server::name).toList());
            columns.add(FILE);
            if (o.runs("gitlab")) {
                columns.add(GitLabVsDirect.DIRECT);
            }
            Table table = new Table(columns);
            table.add("start to ready, first start (empty data directory)", "ms", false, VREG, firstStart);
            if (before != null) {
                table.add("start to ready, first start (empty data directory)", "ms", false, BEFORE,
                        before.readyMillis());
            }

            if (o.runs("warm")) {
                warm(o, wrk, fixture, servers, table);
            }
            if (o.runs("graph")) {
                coldGraph(o, fixture, servers, table, work);
            }
            if (o.runs("large")) {
                coldLarge(o, fixture, servers, table);
            }
            if (o.runs("gitlab")) {
                List<GitLabVsDirect.Target> targets = new ArrayList<>();
                targets.add(new GitLabVsDirect.Target(VREG, vreg.rootUrl(), Vreg.ADMIN_TOKEN));
                if (before != null) {
                    targets.add(new GitLabVsDirect.Target(BEFORE, before.rootUrl(), Vreg.ADMIN_TOKEN));
                }
                gitlab(o, targets, table, work.resolve("gitlab"));
            }
            for (Server server : servers) {
                if (server.process() != null) {
                    long[] rss = server.process().residentMiB();
                    table.note(String.format(Locale.ROOT, "%s resident memory after the load: %d MiB (peak %d MiB).",
                            server.name(), rss[0], rss[1]));
                }
            }
            if (o.runs("soak")) {
                soak(o, wrk, fixture, servers.get(0), table);
            }
            if (o.runs("restart")) {
                get(vreg.baseUrl() + fixture.small().infoPath());
                restarts(o, wrk, fixture, vreg, VREG, table, work);
                if (before != null) {
                    get(before.baseUrl() + fixture.small().infoPath());
                    restarts(o, wrk, fixture, before, BEFORE, table, work);
                }
            }

            System.out.printf(Locale.ROOT, "%nvreg benchmark: %d rounds, %d s per wrk run, %d cores, Java %s%n%n",
                    o.rounds(), o.seconds(), Runtime.getRuntime().availableProcessors(), Runtime.version());
            System.out.println(table.render());
        } finally {
            Collections.reverse(started);
            for (AutoCloseable closeable : started) {
                closeable.close();
            }
        }
    }

    /** Warm files: each server has served them once; then wrk in rounds of alternating order. */
    private static void warm(Options o, Wrk wrk, Fixture fixture, List<Server> servers, Table table)
            throws IOException, InterruptedException {
        GoModule small = fixture.small();
        String[] paths = {small.infoPath(), small.modPath(), fixture.warmZip().zipPath()};
        for (Server server : servers) {
            for (String path : paths) {
                get(server.baseUrl() + path);
                wrk.run(server.baseUrl() + path, 2, 8, Math.max(1, o.seconds() / 2));
            }
        }
        for (int round = 0; round < o.rounds(); round++) {
            for (Server server : ordered(servers, round)) {
                String base = server.baseUrl();
                table.add("warm `.info`, 32 connections", "req/s", true, server.name(),
                        wrk.run(base + small.infoPath(), 2, 32, o.seconds()).requestsPerSecond());
                table.add("warm `.mod`, 32 connections", "req/s", true, server.name(),
                        wrk.run(base + small.modPath(), 2, 32, o.seconds()).requestsPerSecond());
                table.add("warm " + o.warmZipMiB() + " MiB `.zip`, 4 connections", "MiB/s", true, server.name(),
                        wrk.run(base + fixture.warmZip().zipPath(), 2, 4, o.seconds()).bytesPerSecond() / (1 << 20));
                table.add("warm `.info`, one connection, p50", "ms", false, server.name(),
                        wrk.run(base + small.infoPath(), 1, 1, o.seconds()).p50Millis());
            }
        }
    }

    /**
     * Minutes of load on vreg alone: in every cycle 20 modules nobody asked for yet (each file once), then warm
     * {@code .info}, {@code .mod} and zip requests with wrk. vreg's resident memory is sampled every minute; a node
     * whose memory is bounded levels off after its first minutes however long the load goes on.
     */
    private static void soak(Options o, Wrk wrk, Fixture fixture, Server vreg, Table table)
            throws IOException, InterruptedException {
        GoModule small = fixture.small();
        String base = vreg.baseUrl();
        long start = System.nanoTime();
        long end = start + o.soakMinutes() * 60_000_000_000L;
        long nextSample = start + 60_000_000_000L;
        List<Long> samples = new ArrayList<>();
        long requests = 0;
        int cycle = 0;
        while (System.nanoTime() < end) {
            cycle++;
            for (GoModule module : fixture.graph(10_000 + cycle, 20)) {
                for (String path : List.of(module.infoPath(), module.modPath(), module.zipPath())) {
                    get(base + path);
                    requests++;
                }
            }
            Wrk.Result info = wrk.run(base + small.infoPath(), 2, 32, 5);
            Wrk.Result mod = wrk.run(base + small.modPath(), 2, 32, 5);
            Wrk.Result zip = wrk.run(base + fixture.warmZip().zipPath(), 2, 4, 5);
            requests += Math.round((info.requestsPerSecond() + mod.requestsPerSecond() + zip.requestsPerSecond()) * 5);
            if (info.errors() + mod.errors() + zip.errors() > 0) {
                throw new IllegalStateException("the soak's load saw errors in cycle " + cycle);
            }
            if (System.nanoTime() >= nextSample) {
                samples.add(vreg.process().residentMiB()[0]);
                nextSample += 60_000_000_000L;
            }
        }
        long[] rss = vreg.process().residentMiB();
        StringBuilder series = new StringBuilder();
        samples.forEach(mib -> series.append(series.isEmpty() ? "" : ", ").append(mib));
        table.note(String.format(Locale.ROOT, "%s over a %d-minute soak (%d cycles, about %d requests, %d modules "
                        + "fetched cold): resident memory each minute %s MiB; peak %d MiB.", vreg.name(),
                o.soakMinutes(), cycle, requests, cycle * 20, series, rss[1]));
        if (samples.size() >= 3) {
            table.note(String.format(Locale.ROOT, "%s resident memory from minute 2 to the end: %+d MiB.",
                    vreg.name(), samples.get(samples.size() - 1) - samples.get(1)));
        }
    }

    /** A graph never asked for before, through each server; then once more through vreg, now warm. */
    private static void coldGraph(Options o, Fixture fixture, List<Server> servers, Table table, Path work)
            throws IOException {
        GoGraph go = new GoGraph(work.resolve("graph"));
        String row = "`go mod download`, " + o.graph() + "-module graph, cold";
        String extra = "extra cold cost per module (vs nginx)";
        for (int round = 1; round <= o.rounds(); round++) {
            List<GoModule> modules = fixture.graph(round, o.graph());
            Map<String, Double> seconds = new LinkedHashMap<>();
            List<Server> order = ordered(servers, round);
            if (round % 2 == 0) {
                seconds.put(FILE, go.download(go.consumer("file-" + round, modules), fixture.root().toUri().toString()));
            }
            for (Server server : order) {
                seconds.put(server.name(), go.download(go.consumer(server.name() + "-" + round, modules),
                        server.baseUrl()));
            }
            if (round % 2 == 1) {
                seconds.put(FILE, go.download(go.consumer("file-" + round, modules), fixture.root().toUri().toString()));
            }
            seconds.forEach((name, s) -> table.add(row, "s", false, name, s));
            for (Server server : servers) {
                if (!server.name().equals(NGINX)) {
                    table.add(extra, "ms", false, server.name(),
                            Math.max(0.01, (seconds.get(server.name()) - seconds.get(NGINX)) * 1000 / o.graph()));
                }
            }
            for (Server server : servers) {
                if (server.name().equals(VREG) || server.name().equals(BEFORE)) {
                    table.add("`go mod download`, " + o.graph() + "-module graph, warm", "s", false, server.name(),
                            go.download(go.consumer(server.name() + "-warm-" + round, modules), server.baseUrl()));
                }
            }
        }
    }

    /** vreg's GitLab upstream against the go command's direct fetch of the same repositories, in rounds. */
    private static void gitlab(Options o, List<GitLabVsDirect.Target> targets, Table table, Path work)
            throws IOException, InterruptedException {
        try (GitLabFixture gitlab = GitLabFixture.start(work, o.gitlabModules(), o.gitlabProjects())) {
            GitLabVsDirect scenario = new GitLabVsDirect(gitlab, work);
            for (GitLabVsDirect.Target target : targets) {
                scenario.configure(target);
            }
            long requests = 0;
            for (int round = 1; round <= o.rounds(); round++) {
                requests += scenario.round(round, table).get(VREG + " cold").apiRequests();
            }
            double runs = (double) o.rounds() * targets.size() * o.gitlabModules();
            StringBuilder kinds = new StringBuilder();
            gitlab.apiRequestsByKind().forEach((kind, n) -> kinds.append(kinds.isEmpty() ? "" : ", ")
                    .append(kind).append(' ').append(String.format(Locale.ROOT, "%.1f", n / runs)));
            table.note(String.format(Locale.ROOT, "GitLab API requests per module through vreg, cold: %.1f (%s).",
                    (double) requests / o.rounds() / o.gitlabModules(), kinds));
        }
    }

    /** A large zip never asked for before, downloaded once through each server; nginx's rate is the upstream's. */
    private static void coldLarge(Options o, Fixture fixture, List<Server> servers, Table table)
            throws IOException, InterruptedException {
        String row = "cold " + o.largeMiB() + " MiB `.zip`, one download";
        for (int round = 1; round <= o.rounds(); round++) {
            GoModule large = fixture.large(round, o.largeMiB());
            for (Server server : ordered(servers, round)) {
                table.add(row, "MiB/s", true, server.name(), curlRate(server.baseUrl() + large.zipPath()));
            }
            fixture.drop(large);
        }
    }

    /**
     * Restarts of vreg on its data: start to ready, then the rate of the first seconds against the steady one. Every
     * other restart uses a class-data sharing archive of the classes vreg loaded (JDK 17's dynamic AppCDS), made by
     * the first restart when it exits; see docs/benchmarks.md.
     */
    private static void restarts(Options o, Wrk wrk, Fixture fixture, Vreg vreg, String name, Table table, Path work)
            throws IOException, InterruptedException {
        String url = vreg.baseUrl() + fixture.small().infoPath();
        Path archive = work.resolve(name + "-classes.jsa");
        vreg.restart(List.of("-XX:ArchiveClassesAtExit=" + archive));
        for (int round = 0; round < o.rounds(); round++) {
            for (boolean shared : new boolean[] {false, true}) {
                vreg.restart(shared ? List.of("-XX:SharedArchiveFile=" + archive) : List.of());
                String how = shared ? ", with class-data sharing archive" : "";
                table.add("start to ready, restart" + how, "ms", false, name, vreg.readyMillis());
                table.add("warm `.info` in the first 2 s after ready" + how, "req/s", true, name,
                        wrk.run(url, 2, 32, 2).requestsPerSecond());
                table.add("warm `.info`, 2–4 s after ready" + how, "req/s", true, name,
                        wrk.run(url, 2, 32, 2).requestsPerSecond());
            }
        }
    }

    private static List<Server> ordered(List<Server> servers, int round) {
        List<Server> order = new ArrayList<>(servers);
        if (round % 2 == 1) {
            Collections.reverse(order);
        }
        return order;
    }

    private static void get(String url) throws IOException, InterruptedException {
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
    }

    /** One download with curl, whose rate is the same yardstick for every server; in MiB/s. */
    private static double curlRate(String url) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{speed_download}",
                url).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes()).trim();
        curl.waitFor();
        String[] fields = out.split(" ");
        if (fields.length != 2 || !fields[0].equals("200")) {
            throw new IllegalStateException(url + ": curl said " + out);
        }
        return Double.parseDouble(fields[1]) / (1 << 20);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private GoProxyLoad() {
    }
}
