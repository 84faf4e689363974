package dev.vreg.host.sumdb;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.db.DatabaseFailure;
import dev.vreg.host.proxy.ChecksumRefusal;
import dev.vreg.host.proxy.ContentGate;
import dev.vreg.host.registry.Registry;
import dev.vreg.host.upstream.Upstream;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.ChecksumSource;
import dev.vreg.spi.ChecksumVerdict;
import dev.vreg.spi.ChecksumVerifier;
import dev.vreg.spi.ContentCheck;
import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.VregException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a public module's {@code .mod} or {@code .zip} against the registry's first checksum database before it is
 * cached, and before a copy cached for another registry is served, as the registry's {@link Verification} says. Files of modules matching the registry's private patterns are
 * not looked up: their names must not leave vreg. Every outcome is counted in {@code vreg.sumdb.verifications} by
 * registry and result; a forked log is also logged as an error and recorded in {@code checksum_db_forks}.
 */
public final class ChecksumGate implements ContentGate {

    private static final Logger LOG = LoggerFactory.getLogger(ChecksumGate.class);

    private final ChecksumSettingsDirectory settings;
    private final ChecksumDbReader reader;
    private final ChecksumStore store;
    private final MeterRegistry meters;
    /** Cached blobs already judged against a database; bounded, as it is only a saving of lookups. */
    private final Cache<CheckedBlob, Boolean> checkedBlobs = CacheBuilder.newBuilder().maximumSize(100_000).build();

    private record CheckedBlob(String databaseKey, String digest) {
    }

    public ChecksumGate(ChecksumSettingsDirectory settings, ChecksumDbReader reader, ChecksumStore store,
                        MeterRegistry meters) {
        this.settings = settings;
        this.reader = reader;
        this.store = store;
        this.meters = meters;
    }

    @Override
    public Future<Void> admit(Registry registry, Upstream upstream, FormatPlugin format, ArtifactRef ref,
                              ContentCheck check) {
        return admit(registry, upstream, format, ref, check, null);
    }

    /**
     * A cached file is checked once per database and blob: it may have been cached by a registry sharing the
     * upstream under other rules. A file that passed, or that a {@code warn} registry has already been warned of,
     * is not looked up again.
     */
    @Override
    public Future<Void> admitCached(Registry registry, FormatPlugin format, ArtifactRef ref, CacheEntry entry) {
        if (registry == null || entry.blobDigest() == null || !covered(format, ref)) {
            // Most files served from the cache (a module's .info) are not the database's business: no lookups.
            return Future.succeededFuture();
        }
        Upstream upstream = registry.upstreams().stream().filter(u -> u.id() == entry.upstreamId()).findFirst()
                .orElse(null);
        if (upstream == null) {
            return Future.succeededFuture();
        }
        Map<String, String> attributes = new HashMap<>();
        if (entry.attributes() != null) {
            entry.attributes().forEach(e -> attributes.put(e.getKey(), String.valueOf(e.getValue())));
        }
        // While PostgreSQL is away the cache goes on serving what it holds, as it was cached.
        return admit(registry, upstream, format, ref, new ContentCheck(attributes), entry.blobDigest())
                .recover(e -> DatabaseFailure.isUnavailable(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    private static boolean covered(FormatPlugin format, ArtifactRef ref) {
        Optional<ChecksumVerifier> verifier = format.checksumVerifier();
        return verifier.isPresent() && verifier.get().covers(ref);
    }

    private Future<Void> admit(Registry registry, Upstream upstream, FormatPlugin format, ArtifactRef ref,
                               ContentCheck check, String blob) {
        Optional<ChecksumVerifier> verifier = format.checksumVerifier();
        if (registry == null || verifier.isEmpty() || !verifier.get().covers(ref)) {
            return Future.succeededFuture();
        }
        return settings.of(registry.id()).compose(s -> {
            if (s.verification() == Verification.OFF) {
                return Future.succeededFuture();
            }
            if (!s.privatePatterns().isEmpty() && format.matchesHints(s.privatePatterns(), ref)) {
                count(registry, "private");
                return Future.succeededFuture();
            }
            ChecksumDb db = s.databases().get(0);
            CheckedBlob checked = blob == null ? null : new CheckedBlob(db.key(), blob);
            if (checked != null && checkedBlobs.getIfPresent(checked) != null) {
                return Future.succeededFuture();
            }
            return verifier.get().verify(ref, check, source(registry, s, db)).transform(done -> {
                if (done.failed()) {
                    return unreachable(registry, upstream, ref, s, db, done.cause());
                }
                return judge(registry, upstream, ref, s, db, done.result()).onSuccess(v -> {
                    if (checked != null) {
                        checkedBlobs.put(checked, Boolean.TRUE);
                    }
                });
            });
        });
    }

    private Future<Void> judge(Registry registry, Upstream upstream, ArtifactRef ref, ChecksumSettings s,
                               ChecksumDb db, ChecksumVerdict verdict) {
        count(registry, verdict.status().name().toLowerCase(Locale.ROOT));
        if (verdict.verified()) {
            LOG.debug("{} from upstream {}: {}", ref.path(), upstream.name(), verdict.detail());
            return Future.succeededFuture();
        }
        String what = ref.name() + "@" + ref.version() + ("mod".equals(ref.file()) ? "/go.mod" : "");
        String message = switch (verdict.status()) {
            case MISMATCH -> "verifying " + what + ": checksum mismatch: upstream " + upstream.name() + " served "
                    + verdict.actual() + ", checksum database " + db.name() + " records " + verdict.expected()
                    + "; vreg refused the file";
            case NOT_FOUND -> "verifying " + what + ": checksum database " + db.name()
                    + " has no record of it (upstream " + upstream.name() + " served " + verdict.actual()
                    + "); vreg refused the file";
            default -> "verifying " + what + " from upstream " + upstream.name() + " (" + verdict.actual() + "): "
                    + verdict.detail() + "; vreg refused the file";
        };
        Future<Void> reported = Future.succeededFuture();
        if (verdict.status() == ChecksumVerdict.Status.FORKED) {
            LOG.error("Checksum database {} is not append-only: {} (while verifying {})", db.name(), verdict.detail(),
                    what);
            reported = store.saveFork(db.key(), what, verdict.detail()).recover(e -> {
                LOG.warn("Recording the fork of {} failed: {}", db.name(), e.getMessage());
                return Future.succeededFuture();
            });
        }
        if (s.verification() == Verification.WARN) {
            LOG.warn("Registry {} serves a file its checksum database does not confirm: {}", registry.displayName(),
                    message.replace("; vreg refused the file", ""));
            return reported;
        }
        LOG.warn("Registry {}: {}", registry.displayName(), message);
        return reported.compose(v -> Future.failedFuture(new ChecksumRefusal(message)));
    }

    private Future<Void> unreachable(Registry registry, Upstream upstream, ArtifactRef ref, ChecksumSettings s,
                                     ChecksumDb db, Throwable cause) {
        count(registry, "unavailable");
        String message = "cannot verify " + ref.name() + "@" + ref.version() + " from upstream " + upstream.name()
                + ": checksum database " + db.name() + " cannot be read: " + cause.getMessage();
        if (s.verification() == Verification.WARN) {
            LOG.warn("Registry {}: {}; serving it unverified", registry.displayName(), message);
            return Future.succeededFuture();
        }
        return Future.failedFuture(VregException.upstreamUnavailable(message, cause));
    }

    private ChecksumSource source(Registry registry, ChecksumSettings s, ChecksumDb db) {
        return new ChecksumSource() {
            @Override
            public String verifierKey() {
                return db.key();
            }

            @Override
            public Future<Buffer> read(String path) {
                return reader.read(registry, s, db, path).map(ChecksumDbReader.Answer::body);
            }

            @Override
            public Future<String> verifiedTree() {
                return store.verifiedTree(db.key());
            }

            @Override
            public Future<Void> verified(String treeText) {
                long size = Long.parseLong(treeText.split("\n", 3)[1]);
                return store.saveVerifiedTree(db.key(), size, treeText);
            }
        };
    }

    private void count(Registry registry, String result) {
        Counter.builder("vreg.sumdb.verifications")
                .description("Files checked against checksum databases before caching, by registry and result")
                .tag("registry", registry.displayName()).tag("result", result)
                .register(meters).increment();
    }
}
