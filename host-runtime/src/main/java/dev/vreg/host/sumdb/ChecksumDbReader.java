package dev.vreg.host.sumdb;

import dev.vreg.host.vertx.CallerContext;

import dev.vreg.host.registry.Registry;
import dev.vreg.host.upstream.Upstream;
import dev.vreg.host.upstream.UpstreamClients;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.AssetKind;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamResponse;
import dev.vreg.spi.VregException;
import dev.vreg.spi.storage.BlobSource;
import dev.vreg.spi.storage.BlobStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a checksum database's answers for a registry, byte for byte, from its cache or from the database: full tiles
 * never change, so they are kept in the blob store for good and shared by every registry reaching that database
 * (known by its verifier key); the latest tree, partial tiles and lookups are reused for the registry's answer
 * validity and, while the database cannot be reached, served stale with a warning.
 *
 * <p>A database with a URL is asked there; otherwise through the first of the registry's upstreams that says it
 * proxies it ({@code sumdb/<name>/supported} answered 200, as proxy.golang.org does), remembered for a while.
 */
public final class ChecksumDbReader {

    /** An answer: its bytes, how to label them, and a warning when it is a stale copy. */
    public record Answer(Buffer body, String contentType, String warning) {
    }

    private record RouteKey(long upstreamId, String database) {
    }

    private record Route(boolean proxies, Instant until) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChecksumDbReader.class);
    /** Far beyond any tile (8 KiB) or lookup; a database answer larger than this is not one. */
    private static final long MAX_ANSWER = 1L << 20;
    private static final Duration ROUTE_VALIDITY = Duration.ofMinutes(10);
    private static final Duration ROUTE_FAILURE_VALIDITY = Duration.ofSeconds(15);

    private final Vertx vertx;
    private final ChecksumStore store;
    private final BlobStore blobs;
    private final UpstreamClients clients;
    private final HttpClient http;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ConcurrentMap<RouteKey, Route> routes = new ConcurrentHashMap<>();
    /** Fetches in flight, so clients asking for the same answer at once cost the database one request. */
    private final ConcurrentMap<FlightKey, Future<Buffer>> flights = new ConcurrentHashMap<>();

    private record FlightKey(String databaseKey, String path) {
    }

    public ChecksumDbReader(Vertx vertx, ChecksumStore store, BlobStore blobs, UpstreamClients clients,
                            HttpClient http, Clock clock, MeterRegistry meters) {
        this.vertx = vertx;
        this.store = store;
        this.blobs = blobs;
        this.clients = clients;
        this.http = http;
        this.clock = clock;
        this.meters = meters;
    }

    /** Whether {@code path} (below the database) is a full tile, the one kind of answer that never changes. */
    public static boolean immutable(String path) {
        return path.startsWith("tile/") && !path.contains(".p/");
    }

    public static String contentType(String path) {
        return path.startsWith("tile/") && !path.matches("tile/\\d+/data/.*")
                ? "application/octet-stream" : "text/plain; charset=UTF-8";
    }

    public Future<Answer> read(Registry registry, ChecksumSettings settings, ChecksumDb db, String path) {
        return immutable(path) ? readTile(registry, db, path) : readChanging(registry, settings, db, path);
    }

    private Future<Answer> readTile(Registry registry, ChecksumDb db, String path) {
        return store.tile(db.key(), path).transform(found -> {
            if (found.succeeded() && found.result().isPresent()) {
                ChecksumStore.StoredTile tile = found.result().get();
                return readBlob(tile.digest(), tile.size()).map(body -> new Answer(body, contentType(path), null))
                        .recover(e -> {
                            LOG.warn("The cached tile {} of {} cannot be read ({}); fetching it again", path,
                                    db.name(), e.getMessage());
                            return store.forgetTile(db.key(), path).transform(v -> fetchTile(registry, db, path));
                        });
            }
            return fetchTile(registry, db, path);
        });
    }

    private Future<Answer> fetchTile(Registry registry, ChecksumDb db, String path) {
        return fetch(registry, db, path).compose(body -> keepTile(db, path, body)
                .recover(e -> {
                    LOG.warn("Keeping the tile {} of {} failed: {}", path, db.name(), e.getMessage());
                    return Future.succeededFuture();
                })
                .map(v -> new Answer(body, contentType(path), null)));
    }

    private Future<Void> keepTile(ChecksumDb db, String path, Buffer body) {
        String digest = sha256(body);
        return blobs.createTemp().compose(temp -> vertx.fileSystem().writeFile(temp.toString(), body)
                .compose(v -> blobs.commit(temp, digest))
                .onFailure(e -> blobs.discard(temp)))
                .compose(v -> store.saveTile(db.key(), path, digest, body.length()));
    }

    private Future<Answer> readChanging(Registry registry, ChecksumSettings settings, ChecksumDb db, String path) {
        return store.answer(db.key(), path).transform(found -> {
            ChecksumStore.StoredAnswer cached = found.succeeded() ? found.result().orElse(null) : null;
            Instant now = clock.instant();
            if (cached != null && cached.fetchedAt().plus(settings.answerValidity()).isAfter(now)) {
                return Future.succeededFuture(new Answer(cached.body(), cached.contentType(), null));
            }
            return fetch(registry, db, path).compose(body -> store.saveAnswer(db.key(), path, body, contentType(path))
                            .recover(e -> {
                                LOG.warn("Keeping the answer {} of {} failed: {}", path, db.name(), e.getMessage());
                                return Future.succeededFuture();
                            })
                            .map(v -> new Answer(body, contentType(path), null)))
                    .recover(e -> {
                        if (cached == null || VregException.is(e, ErrorKind.NOT_FOUND)
                                || VregException.is(e, ErrorKind.INVALID)) {
                            return Future.failedFuture(e);
                        }
                        LOG.warn("Checksum database {} is unreachable ({}); serving its cached {}", db.name(),
                                e.getMessage(), path);
                        return Future.succeededFuture(new Answer(cached.body(), cached.contentType(),
                                "checksum database " + db.name() + " is unreachable; its cached answer was used"));
                    });
        });
    }

    /**
     * Whether the registry has a way to the database: a URL, or an upstream that proxies it. Fails, saying so, when
     * it has none; the answer is remembered with the route.
     */
    public Future<Void> reachable(Registry registry, ChecksumDb db) {
        return db.url() != null ? Future.succeededFuture() : routeFor(registry, db, registry.upstreams(), 0).mapEmpty();
    }

    /** Asks the database itself, through its URL or the registry's upstream that proxies it. */
    private Future<Buffer> fetch(Registry registry, ChecksumDb db, String path) {
        // One flight is shared by every request asking the same path meanwhile; each continues on its own context.
        return CallerContext.bind(flight(registry, db, path));
    }

    private Future<Buffer> flight(Registry registry, ChecksumDb db, String path) {
        FlightKey key = new FlightKey(db.key(), path);
        Future<Buffer> inFlight = flights.get(key);
        if (inFlight != null) {
            return inFlight;
        }
        Future<Buffer> flight = fetchOnce(registry, db, path);
        Future<Buffer> raced = flights.putIfAbsent(key, flight);
        if (raced != null) {
            return raced;
        }
        flight.onComplete(done -> flights.remove(key, flight));
        return flight;
    }

    private Future<Buffer> fetchOnce(Registry registry, ChecksumDb db, String path) {
        Counter.builder("vreg.sumdb.fetches").description("Answers fetched from checksum databases, by database")
                .tag("database", db.name()).register(meters).increment();
        if (db.url() != null) {
            return fetchUrl(db, path);
        }
        return routeFor(registry, db, registry.upstreams(), 0).compose(upstream -> fetchThrough(upstream,
                "sumdb/" + db.name() + "/" + path));
    }

    private Future<Upstream> routeFor(Registry registry, ChecksumDb db, List<Upstream> upstreams, int index) {
        if (index == upstreams.size()) {
            return Future.failedFuture(VregException.upstreamUnavailable("no upstream of registry "
                    + registry.displayName() + " proxies checksum database " + db.name()
                    + " (none answers sumdb/" + db.name() + "/supported); give the database a URL", null));
        }
        Upstream upstream = upstreams.get(index);
        RouteKey key = new RouteKey(upstream.id(), db.name());
        Route known = routes.get(key);
        Instant now = clock.instant();
        if (known != null && known.until().isAfter(now)) {
            return known.proxies() ? Future.succeededFuture(upstream) : routeFor(registry, db, upstreams, index + 1);
        }
        return fetchThrough(upstream, "sumdb/" + db.name() + "/supported").transform(probed -> {
            boolean proxies = probed.succeeded();
            routes.put(key, new Route(proxies, clock.instant().plus(proxies || VregException.is(probed.cause(),
                    ErrorKind.NOT_FOUND) ? ROUTE_VALIDITY : ROUTE_FAILURE_VALIDITY)));
            return proxies ? Future.succeededFuture(upstream) : routeFor(registry, db, upstreams, index + 1);
        });
    }

    private Future<Buffer> fetchThrough(Upstream upstream, String path) {
        ArtifactRef ref = new ArtifactRef(path, AssetKind.METADATA, path, null, "sumdb");
        return clients.clientFor(upstream).fetch(ArtifactRequest.of(ref))
                .compose(response -> collect(response, upstream.name(), path));
    }

    private Future<Buffer> fetchUrl(ChecksumDb db, String path) {
        String target = db.url() + "/" + path.replace("!", "%21");
        return http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(target))
                .compose(request -> {
                    // Paused in the dispatch that delivers the head, so no body chunk is lost to a later listener.
                    request.response().onSuccess(HttpClientResponse::pause);
                    return request.send();
                })
                .recover(e -> Future.failedFuture(VregException.upstreamUnavailable("checksum database " + db.name()
                        + " at " + db.url() + " cannot be reached: " + e.getMessage(), e)))
                .compose(response -> {
                    int status = response.statusCode();
                    if (status == 200) {
                        return readLimited(response, "checksum database " + db.name(), path);
                    }
                    Future<Buffer> drained = response.body();
                    response.resume();
                    return drained.transform(ignored -> Future.failedFuture(status == 404 || status == 410
                            ? VregException.notFound("checksum database " + db.name() + " has no " + path)
                            : VregException.upstreamUnavailable("checksum database " + db.name() + " answered "
                            + status + " for " + path, null)));
                });
    }

    private static Future<Buffer> collect(UpstreamResponse response, String upstream, String path) {
        if (response.contentLength() > MAX_ANSWER) {
            response.discard();
            return Future.failedFuture(VregException.upstreamInvalid("upstream " + upstream + " sent "
                    + response.contentLength() + " bytes for " + path));
        }
        return readLimited(response.body(), "upstream " + upstream, path)
                .onFailure(e -> response.discard());
    }

    private static Future<Buffer> readLimited(ReadStream<Buffer> stream, String from, String path) {
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        stream.exceptionHandler(e -> promise.tryFail(e instanceof VregException ? e
                : VregException.upstreamUnavailable(from + " broke off while sending " + path + ": "
                + e.getMessage(), e)));
        stream.endHandler(v -> promise.tryComplete(body));
        stream.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_ANSWER) {
                promise.tryFail(VregException.upstreamInvalid(from + " sent more than " + MAX_ANSWER
                        + " bytes for " + path));
                return;
            }
            body.appendBuffer(chunk);
        });
        stream.resume();
        return promise.future();
    }

    private Future<Buffer> readBlob(String digest, long size) {
        return blobs.open(digest, size).compose(source -> {
            if (source instanceof BlobSource.LocalFile file) {
                return vertx.fileSystem().readFile(file.path().toString());
            }
            return readLimited(((BlobSource.Stream) source).body(), "the blob store", digest);
        }).compose(body -> body.length() == size && sha256(body).equals(digest) ? Future.succeededFuture(body)
                : Future.failedFuture(new IllegalStateException("blob " + digest + " is damaged")));
    }

    private static String sha256(Buffer body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
