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
    public Compat compat = new Compat();
    public Statistics statistics = new Statistics();
    public Audit audit = new Audit();
    public Jobs jobs = new Jobs();

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
     * HTTPS, from a PKCS#12 key store or from PEM files (certificate chain and private key). The go command sends
     * {@code .netrc} and GOAUTH credentials only over HTTPS, so private registries need this or a TLS proxy in front.
     * With key material and no {@link #port} the listener of {@code http.port} serves HTTPS; with a port, HTTPS
     * listens there beside plain HTTP. On the embedded default with neither, a private CA and a server certificate
     * are generated in {@code <dataDir>/tls/} and HTTPS listens on {@link #DEFAULT_PORT}.
     */
    public static final class Tls {
        public static final int DEFAULT_PORT = 8443;

        public Path keyStore;
        public String keyStorePassword;
        /** PEM file: the server certificate first, then the intermediates. */
        public Path certificate;
        /** PEM file: the certificate's private key, PKCS#8, PKCS#1 (RSA) or SEC 1 (EC), not encrypted. */
        public Path privateKey;
        /** A second listener serving HTTPS beside the plain HTTP one; none when empty (see the class comment). */
        public Integer port;
        /** Whether the embedded default generates its own CA and certificate; true when empty. */
        public Boolean generate;
        /**
         * Names and addresses the generated certificate covers besides localhost, 127.0.0.1, ::1, {@code http.host}
         * and the host of {@code http.publicUrl}, e.g. the machine's DNS name.
         */
        public List<String> names = List.of();

        /** Whether the listener of {@code http.port} itself serves HTTPS. */
        public boolean enabled() {
            return configured() && port == null;
        }

        /** Whether key material was configured (a key store, or PEM files). */
        public boolean configured() {
            return keyStore != null || certificate != null || privateKey != null;
        }
    }

    /** PostgreSQL. With no URL, an embedded server is started in {@code <dataDir>/postgres}. */
    public static final class Database {
        /** {@code postgresql://user:password@host:port/database}; empty means embedded. */
        public String url;
        public int poolSize = 16;
        /** The user to log in as; when set, in place of the URL's. */
        public String user;
        /** The password (best from {@code VREG_DATABASE_PASSWORD}); when set, in place of the URL's. Never logged. */
        public String password;
        /**
         * TLS to an external server: {@code disable}, {@code require} (encrypted, certificate not checked) or
         * {@code verify-full} (certificate checked against {@link #sslRootCert}, host name against the certificate).
         */
        public String sslMode = "disable";
        /** PEM file of the authority that signed the server's certificate, for {@code verify-full}. */
        public Path sslRootCert;
        /**
         * How long the embedded server may stay down, vreg restarting it, before /healthz reports the node failed.
         * External databases are only reconnected to, however long they are away.
         */
        public Duration recoveryTimeout = Duration.ofMinutes(2);
        /**
         * Where the embedded server's binaries are unpacked; {@code <dataDir>/pg-dist} when empty. Several vreg
         * processes on one host may share one directory (each unpacks under a lock, once per binaries jar).
         */
        public Path embeddedBinaries;
    }

    /** Where blobs live. */
    public static final class Storage {
        /** {@code filesystem} (the default) or {@code s3}. */
        public String type = "filesystem";
        /** Filesystem store root; {@code <dataDir>/blobs} when empty. */
        public Path path;
        /** The S3-compatible object store, when {@link #type} is {@code s3}. */
        public S3 s3 = new S3();
        /** Deleting blobs that no cache entry references. */
        public Collection collection = new Collection();
    }

    /**
     * An S3 bucket (AWS, or any S3-compatible server through {@link #endpoint}). Credentials: the static pair when
     * both are set, otherwise the SDK's default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profiles, container
     * and instance-profile credentials).
     */
    public static final class S3 {
        public String bucket;
        /** Prepended to every key, e.g. {@code vreg/}; empty: keys start at the bucket's root. */
        public String prefix = "";
        /** {@code https://minio.internal:9000}; empty: AWS's endpoint for {@link #region}. */
        public String endpoint;
        public String region = "us-east-1";
        /** Bucket in the path ({@code endpoint/bucket/key}) instead of the host name; most S3-compatible servers. */
        public boolean pathStyle;
        public String accessKeyId;
        public String secretAccessKey;
        /** Blobs larger than this are uploaded in parts of this size (at least 5 MiB). */
        public long partSize = 16L << 20;
        /** Answer {@code .zip} downloads with a redirect to a presigned URL of the object instead of streaming it. */
        public boolean presignedRedirects;
        /** How long a presigned URL is valid. */
        public Duration presignValidity = Duration.ofMinutes(5);
        /** Local directory for incoming bodies before they are uploaded; {@code <dataDir>/s3-tmp} when empty. */
        public Path tempDir;
        /** Connections to the S3 endpoint a node opens at most; requests beyond wait for one. */
        public int maxConnections = 128;
    }

    /** The collection of unreferenced blobs, temporary files and abandoned multipart uploads. */
    public static final class Collection {
        /** How often the scheduled collection runs; 0 turns the schedule off (deletions still collect). */
        public Duration interval = Duration.ofHours(1);
        /**
         * How long a blob being committed, a temporary file or a multipart upload is left alone; longer than any
         * fetch takes (upstreams.transferDeadline) plus its upload to the store.
         */
        public Duration grace = Duration.ofHours(1);
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
        /**
         * Memory for copies of small cached files ({@code .info}, {@code .mod}), served without opening a file; the
         * least recently used go first. 0 turns the copies off.
         */
        public long memoryBytes = 64L << 20;
        /** The largest file that gets a copy in memory. */
        public long memoryFileBytes = 64L << 10;
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

    /** Routes kept for clients of the services vreg replaces, while they move over. */
    public static final class Compat {
        public GitLabGoProxy gitlabGoProxy = new GitLabGoProxy();
    }

    /**
     * GitLab's experimental Go proxy route, {@code /api/v4/projects/:id/packages/go}: answered for the projects mapped
     * to a registry, with {@code Deprecation}, {@code Sunset} and {@code Link} headers.
     */
    public static final class GitLabGoProxy {
        public boolean enabled = true;
        /** When the route was deprecated (the {@code Deprecation} header). */
        public java.time.Instant deprecatedAt = java.time.Instant.parse("2026-12-01T00:00:00Z");
        /** When it stops being answered (the {@code Sunset} header). */
        public java.time.Instant sunsetAt = java.time.Instant.parse("2027-12-01T00:00:00Z");
        /** The migration guide the {@code Link} header names; vreg's own copy when unset. */
        public String guideUrl;
    }

    public static final List<String> DEFAULT_GO_UPSTREAMS = List.of("https://proxy.golang.org");

    public Path blobDir() {
        return storage.path != null ? storage.path : dataDir.resolve("blobs");
    }

    public Path s3TempDir() {
        return storage.s3.tempDir != null ? storage.s3.tempDir : dataDir.resolve("s3-tmp");
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

    /** The audit log and the groups' webhooks. */
    public static final class Audit {
        /** How long audit events are kept. */
        public Duration retention = Duration.ofDays(365);
        public Webhooks webhooks = new Webhooks();
    }

    /** How webhook deliveries are sent and kept. */
    public static final class Webhooks {
        /** How many times a delivery is tried before it counts as failed. */
        public int attempts = 6;
        /** The wait before the second attempt; each further attempt waits twice as long as the one before. */
        public Duration backoff = Duration.ofSeconds(30);
        /** How long one attempt may take, connecting included. */
        public Duration timeout = Duration.ofSeconds(10);
        /** How long finished deliveries stay in the delivery log. */
        public Duration deliveryRetention = Duration.ofDays(30);
    }

    /** Scheduled jobs (blob collection, retention, lifecycle policies), each run by one node of the fleet at a time. */
    public static final class Jobs {
        /** How often each node looks for due jobs. */
        public Duration tick = Duration.ofSeconds(10);
        /** This node's name in the jobs' records; the host name and process id when unset. */
        public String node;
    }
}
