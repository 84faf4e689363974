package dev.vreg.host.protocol;

import dev.vreg.host.VregServer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Plain HTTP requests to one vreg's default Go registry, and SQL checks against its database. */
final class VregHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final VregServer vreg;

    VregHttp(VregServer vreg) {
        this.vreg = vreg;
    }

    /** The GOPROXY value of the default registry. */
    String goproxy() {
        return vreg.baseUrl() + "/go/default/main";
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send("GET", path, headers);
    }

    /** A request below the registry base; {@code path} starts with {@code /} and is sent as written. */
    HttpResponse<byte[]> send(String method, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(goproxy() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The status line for a path that {@link java.net.URI} would refuse, sent over a plain socket. */
    String rawStatusLine(String path) {
        String base = goproxy().substring(goproxy().indexOf('/', "http://".length()));
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", vreg.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + base + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return response.substring(0, response.indexOf("\r\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    List<Row> sql(String query, Object... params) {
        try {
            RowSet<Row> rows = vreg.pool().preparedQuery(query).execute(Tuple.from(params))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            List<Row> out = new ArrayList<>();
            rows.forEach(out::add);
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("query failed: " + query, e);
        }
    }

    /** Cache entries of {@code kind} for a request path (with its leading {@code /}), across all upstreams. */
    long entries(String path, String kind) {
        return sql("SELECT count(*) FROM cache_entries WHERE path = $1 AND kind = $2", path.substring(1), kind)
                .get(0).getLong(0);
    }

    /** The go.sum hash vreg recorded for a cached {@code .mod} or {@code .zip}. */
    String recordedH1(String path) {
        List<Row> rows = sql("SELECT attributes->>'h1' FROM cache_entries WHERE path = $1 AND kind = 'CONTENT'",
                path.substring(1));
        return rows.isEmpty() ? null : rows.get(0).getString(0);
    }

    /** The URL of the upstream holding the cached CONTENT for a path, or null. */
    String holder(String path) {
        List<Row> rows = sql("""
                SELECT u.url FROM cache_entries c JOIN upstreams u ON u.id = c.upstream_id
                 WHERE c.path = $1 AND c.kind = 'CONTENT'""", path.substring(1));
        return rows.isEmpty() ? null : rows.get(0).getString(0);
    }

    /** Changes an upstream's settings the way an operator's edit does, and tells every node. */
    void updateUpstream(String url, String assignments, Object... params) {
        Object[] all = new Object[params.length + 1];
        all[0] = url;
        System.arraycopy(params, 0, all, 1, params.length);
        sql("UPDATE upstreams SET " + assignments + ", updated_at = now() WHERE url = $1", all);
        sql("NOTIFY vreg_config");
    }
}
