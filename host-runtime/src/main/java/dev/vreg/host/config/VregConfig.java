package dev.vreg.host.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.vreg.spi.TransferLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The whole configuration of a vreg node, after the YAML file, environment variables and flags have been applied
 * (in that order, later wins). See {@link ConfigLoader} for the sources and docs/configuration.md for the reference.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public final class VregConfig {

    public Path dataDir = Path.of("data");
    public Http http = new Http();
    public Database database = new Database();
    public Storage storage = new Storage();
    public Plugins plugins = new Plugins();
    public Cache cache = new Cache();
    public Upstreams upstreams = new Upstreams();
    public Bootstrap bootstrap = new Bootstrap();
    public Auth auth = new Auth();
    public Limits limits = new Limits();
    public Security security = new Security();
    public Statistics statistics = new Statistics();

    /** The HTTP listener. */
    public static final class Http {
        public String host = "127.0.0.1";
        public int port = 8080;
        /** The externally visible base URL, used in log lines and links; derived from host and port when empty. */
        public String publicUrl;
        public Tls tls = new Tls();
        /**
         * How long a stopping node lets the responses in flight finish, after it stopped accepting connections;
         * whatever is still being sent then is cut off. 30 seconds sends a 500 MiB zip at 17 MiB/s.
         */
        public Duration shutdownGrace = Duration.ofSeconds(30);
    }

    /**
     * HTTPS on the listener, from a PKCS#12 key store; plain HTTP when no key store is set. The go command sends
     * {@code .netrc} and GOAUTH credentials only over HTTPS, so private registries need this or a TLS proxy in front.
     */
    public static final class Tls {
        public Path keyStore;
        public String keyStorePassword;

        public boolean enabled() {
            return keyStore != null;
        }
    }

    /** PostgreSQL. With no URL, an embedded server is started in {@code <dataDir>/postgres}. */
    public static final class Database {
        /** {@code postgresql://user:password@host:port/database}; empty means embedded. */
        public String url;
        public int poolSize = 16;
        /**
         * How long the embedded server may stay down, vreg restarting it, before /healthz reports the node failed.
         * External databases are only reconnected to, however long they are away.
         */
        public Duration recoveryTimeout = Duration.ofMinutes(2);
    }

    /** Where blobs live. */
    public static final class Storage {
        public String type = "filesystem";
        /** Filesystem store root; {@code <dataDir>/blobs} when empty. */
        public Path path;
    }

    /** Where plugin archives are loaded from. */
    public static final class Plugins {
        public Path dir = Path.of("plugins");
    }

    /** Cache timings that apply when an upstream does not set its own. */
    public static final class Cache {
        /** How long METADATA (version lists, latest) from an upstream is served before it is asked again. */
        public Duration metadataValidity = Duration.ofMinutes(5);
        /** How long an upstream's "not found" is remembered. */
        public Duration notFoundValidity = Duration.ofMinutes(1);
        /** Largest METADATA body accepted from an upstream. */
        public long maxMetadataBytes = 16L << 20;
        /**
         * Upstream misses (paths no upstream has) one client address may cause a minute through anonymous pulls; past
         * it, unknown paths are answered 429 until the minute is over. 0 turns the bound off.
         */
        public int anonymousMissesPerMinute = 600;
        /** How often download counts (per cache entry) are written to the database. */
        public Duration downloadsFlushInterval = Duration.ofSeconds(2);
    }

    /** HTTP client settings for talking to upstreams; an upstream may override the transfer limits. */
    public static final class Upstreams {
        public Duration connectTimeout = Duration.ofSeconds(10);
        public Duration readTimeout = Duration.ofSeconds(60);
        /**
         * CIDR blocks (or single addresses) upstreams may connect to although they are loopback, private,
         * link-local or otherwise internal, e.g. {@code 10.20.0.0/16} for an internal Athens. Empty: none.
         */
        public List<String> allowedNetworks = List.of();
        /**
         * The longest one fetch may take, request to last byte. 30 minutes lets the largest zip the go command
         * accepts (500 MiB) arrive at 285 KiB/s; a body that never ends is cut off by then at the latest.
         */
        public Duration transferDeadline = TransferLimits.DEFAULT.deadline();
        /**
         * The lowest average rate, in bytes a second, of a body, over each {@link #minTransferRateWindow} in which
         * vreg asked for more; 0 turns it off. 16 KiB/s is far below any working link and far above a trickle.
         */
        public long minTransferRate = TransferLimits.DEFAULT.minBytesPerSecond();
        /** How long the transfer rate is averaged over. */
        public Duration minTransferRateWindow = TransferLimits.DEFAULT.window();

        /** The limits of an upstream that overrides neither. */
        public TransferLimits transferLimits() {
            return new TransferLimits(transferDeadline, minTransferRate, minTransferRateWindow);
        }
    }

    /** What a fresh instance creates: group {@code default}, Go registry {@code main}. */
    public static final class Bootstrap {
        /**
         * Upstream base URLs of the default Go registry, in priority order. When set explicitly (file, environment or
         * flag) the default registry's upstreams are reconciled to this list at every start.
         */
        public List<String> goUpstreams;
    }

    /** Identity and access. */
    public static final class Auth {
        /**
         * The instance admin's token, set on the first start only; when empty a token is generated and printed once.
         * At least 32 characters.
         */
        public String adminToken;
        /** How long a token lookup is reused before the database is asked again (changes also drop it at once). */
        public Duration tokenCacheValidity = Duration.ofSeconds(10);
        /** How long a session (a JWT exchanged for a personal token at POST /api/v1/sessions) stays valid. */
        public Duration sessionValidity = Duration.ofHours(8);
        /** How often the last use of tokens is written to the database. */
        public Duration lastUsedFlushInterval = Duration.ofSeconds(30);
    }

    /** Keys for secrets at rest. */
    public static final class Security {
        /** Base64 of 32 random bytes; encrypts upstream credentials (AES-256-GCM). Without it none can be set. */
        public String encryptionKey;
        /** Keys used before a rotation, still accepted for decrypting what they encrypted. */
        public List<String> previousEncryptionKeys;
    }

    /** Bounds on what one group may configure. */
    public static final class Limits {
        public int registriesPerGroupAndFormat = 20;
        public int upstreamsPerRegistry = 20;
    }

    public static final List<String> DEFAULT_GO_UPSTREAMS = List.of("https://proxy.golang.org");

    public Path blobDir() {
        return storage.path != null ? storage.path : dataDir.resolve("blobs");
    }

    public String publicUrl() {
        if (http.publicUrl != null && !http.publicUrl.isBlank()) {
            return http.publicUrl.replaceAll("/+$", "");
        }
        String host = "0.0.0.0".equals(http.host) || "::".equals(http.host) ? "127.0.0.1" : http.host;
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (http.tls.enabled() ? "https://" : "http://") + host + ":" + http.port;
    }

    /** Usage statistics: hourly and daily rows in the database, written in batches by every node. */
    public static final class Statistics {
        /** How often each node writes what it counted. */
        public Duration flushInterval = Duration.ofSeconds(10);
        /** How long hourly rows are kept. */
        public Duration hourlyRetention = Duration.ofDays(14);
        /** How long daily rows are kept. */
        public Duration dailyRetention = Duration.ofDays(800);
    }
}
