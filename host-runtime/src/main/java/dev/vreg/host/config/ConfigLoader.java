package dev.vreg.host.config;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.vreg.host.upstream.address.AddressRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds a {@link VregConfig} from, in increasing precedence: built-in defaults, a YAML file, {@code VREG_*}
 * environment variables, and command-line flags (applied by the caller through {@link #apply}).
 */
public final class ConfigLoader {

    private final Map<String, String> env;

    public ConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    /**
     * Loads the YAML file (the given one, else {@code VREG_CONFIG}, else {@code ./vreg.yaml} when it exists), then
     * applies the environment.
     */
    public VregConfig load(Path explicitFile) {
        Path file = explicitFile;
        if (file == null && env.get("VREG_CONFIG") != null) {
            file = Path.of(env.get("VREG_CONFIG"));
        }
        if (file == null && Files.isRegularFile(Path.of("vreg.yaml"))) {
            file = Path.of("vreg.yaml");
        }
        VregConfig config = file == null ? new VregConfig() : readYaml(file);
        applyEnvironment(config);
        checkAllowedNetworks(config.upstreams.allowedNetworks);
        checkTimings(config);
        checkTls(config.http.tls);
        checkStorage(config.storage);
        checkDatabase(config.database);
        checkGitLabGoProxy(config.compat.gitlabGoProxy);
        return config;
    }

    /** Key material comes from one source, complete; the files themselves are read when the listener starts. */
    public static void checkTls(VregConfig.Tls tls) {
        if (tls.keyStore != null && (tls.certificate != null || tls.privateKey != null)) {
            throw new ConfigException("http.tls: set either keyStore or certificate and privateKey, not both");
        }
        if ((tls.certificate == null) != (tls.privateKey == null)) {
            throw new ConfigException("http.tls: certificate (VREG_TLS_CERTIFICATE) and privateKey "
                    + "(VREG_TLS_PRIVATE_KEY) are set together");
        }
        if (tls.port != null && (tls.port < 1 || tls.port > 65535)) {
            throw new ConfigException("http.tls.port must be a port number (1-65535), got " + tls.port);
        }
    }

    static void checkGitLabGoProxy(VregConfig.GitLabGoProxy route) {
        if (route.deprecatedAt == null || route.sunsetAt == null || !route.sunsetAt.isAfter(route.deprecatedAt)) {
            throw new ConfigException("compat.gitlabGoProxy: sunsetAt must be a time after deprecatedAt");
        }
        if (route.guideUrl != null && !route.guideUrl.matches("https?://[^\\s<>]+")) {
            throw new ConfigException("compat.gitlabGoProxy.guideUrl must be an http(s) URL, got '"
                    + route.guideUrl + "'");
        }
    }

    static boolean bool(String name, String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new ConfigException(name + " must be true or false, got '" + value + "'");
        };
    }


    /** A store that cannot work is refused at start: an unknown type, S3 without a bucket, parts S3 refuses. */
    static void checkStorage(VregConfig.Storage s) {
        switch (s.type == null ? "" : s.type) {
            case "filesystem" -> { }
            case "s3" -> {
                if (s.s3.bucket == null || s.s3.bucket.isBlank()) {
                    throw new ConfigException("storage.s3.bucket (VREG_S3_BUCKET) must be set when storage.type is s3");
                }
                if (s.s3.partSize < (5L << 20)) {
                    throw new ConfigException("storage.s3.partSize must be at least 5 MiB (5242880), got "
                            + s.s3.partSize);
                }
                if ((s.s3.accessKeyId == null) != (s.s3.secretAccessKey == null)) {
                    throw new ConfigException("storage.s3.accessKeyId and storage.s3.secretAccessKey are set together "
                            + "or not at all");
                }
                positive("storage.s3.presignValidity", s.s3.presignValidity);
                if (s.s3.maxConnections < 1) {
                    throw new ConfigException("storage.s3.maxConnections must be 1 or more, got " + s.s3.maxConnections);
                }
            }
            default -> throw new ConfigException("storage.type (VREG_STORAGE_TYPE) must be filesystem or s3, got '"
                    + s.type + "'");
        }
        positive("storage.collection.grace", s.collection.grace);
        if (s.collection.interval == null || s.collection.interval.isNegative()) {
            throw new ConfigException("storage.collection.interval must be a duration of 0 or more, got "
                    + s.collection.interval);
        }
    }

    /**
     * An external database's settings are checked at start, whole: the URL's form, the TLS mode, a root
     * certificate that verify-full can read. Messages never name the password.
     */
    static void checkDatabase(VregConfig.Database d) {
        if (d.url == null || d.url.isBlank()) {
            return;
        }
        dev.vreg.host.db.DatabaseEndpoint.fromConfig(d);
        if (d.sslRootCert != null && !Files.isReadable(d.sslRootCert)) {
            throw new ConfigException("database.sslRootCert (VREG_DATABASE_SSL_ROOT_CERT): cannot read "
                    + d.sslRootCert);
        }
    }

    /** Timings no upstream or listener could work with are refused at start, not at the first request. */
    static void checkTimings(VregConfig c) {
        positive("upstreams.connectTimeout", c.upstreams.connectTimeout);
        positive("upstreams.readTimeout", c.upstreams.readTimeout);
        positive("upstreams.transferDeadline", c.upstreams.transferDeadline);
        positive("upstreams.minTransferRateWindow", c.upstreams.minTransferRateWindow);
        if (c.http.shutdownGrace == null || c.http.shutdownGrace.isNegative()) {
            throw new ConfigException("http.shutdownGrace must be a duration of 0 or more, got "
                    + c.http.shutdownGrace);
        }
        positive("statistics.flushInterval", c.statistics.flushInterval);
        positive("statistics.hourlyRetention", c.statistics.hourlyRetention);
        positive("statistics.dailyRetention", c.statistics.dailyRetention);
        positive("audit.retention", c.audit.retention);
        positive("audit.webhooks.backoff", c.audit.webhooks.backoff);
        positive("audit.webhooks.timeout", c.audit.webhooks.timeout);
        positive("audit.webhooks.deliveryRetention", c.audit.webhooks.deliveryRetention);
        if (c.audit.webhooks.attempts < 1) {
            throw new ConfigException("audit.webhooks.attempts must be 1 or more, got " + c.audit.webhooks.attempts);
        }
        positive("jobs.tick", c.jobs.tick);
        if (c.upstreams.minTransferRate < 0) {
            throw new ConfigException("upstreams.minTransferRate must be 0 or more bytes a second");
        }
    }

    /** Each entry must be a CIDR block or a literal address; names are refused, they would need DNS. */
    static void checkAllowedNetworks(List<String> networks) {
        try {
            AddressRule.allowingNetworks(networks);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("upstreams.allowedNetworks (VREG_UPSTREAMS_ALLOWED_NETWORKS): "
                    + e.getMessage());
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ConfigException(name + " must be a positive duration, got " + value);
        }
    }

    static VregConfig readYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("configuration file " + file + " does not exist");
        }
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .registerModule(new JavaTimeModule())
                .registerModule(new SimpleModule().addDeserializer(Duration.class, new FromStringDeserializer<>(
                        Duration.class) {
                    @Override
                    protected Duration _deserialize(String value, DeserializationContext ctxt) throws IOException {
                        return duration(ctxt.getParser().currentName(), value);
                    }
                }))
                .setPropertyNamingStrategy(PropertyNamingStrategies.LOWER_CAMEL_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            VregConfig config = mapper.readValue(file.toFile(), VregConfig.class);
            return config == null ? new VregConfig() : config;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("unknown setting '" + e.getPropertyName() + "' in " + file
                    + " (known here: " + e.getKnownPropertyIds() + ")");
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private void applyEnvironment(VregConfig c) {
        set("VREG_DATA_DIR", v -> c.dataDir = Path.of(v));
        set("VREG_HTTP_HOST", v -> c.http.host = v);
        set("VREG_HTTP_PORT", v -> c.http.port = port("VREG_HTTP_PORT", v));
        set("VREG_PUBLIC_URL", v -> c.http.publicUrl = v);
        set("VREG_HTTP_SHUTDOWN_GRACE", v -> c.http.shutdownGrace = duration("VREG_HTTP_SHUTDOWN_GRACE", v));
        set("VREG_DATABASE_URL", v -> c.database.url = v);
        set("VREG_DATABASE_POOL_SIZE", v -> c.database.poolSize = positive("VREG_DATABASE_POOL_SIZE", v));
        set("VREG_DATABASE_USER", v -> c.database.user = v);
        set("VREG_DATABASE_PASSWORD", v -> c.database.password = v);
        set("VREG_DATABASE_SSL_MODE", v -> c.database.sslMode = v);
        set("VREG_DATABASE_SSL_ROOT_CERT", v -> c.database.sslRootCert = Path.of(v));
        set("VREG_DATABASE_EMBEDDED_BINARIES", v -> c.database.embeddedBinaries = Path.of(v));
        set("VREG_DATABASE_RECOVERY_TIMEOUT",
                v -> c.database.recoveryTimeout = duration("VREG_DATABASE_RECOVERY_TIMEOUT", v));
        set("VREG_STORAGE_PATH", v -> c.storage.path = Path.of(v));
        set("VREG_STORAGE_TYPE", v -> c.storage.type = v);
        set("VREG_S3_BUCKET", v -> c.storage.s3.bucket = v);
        set("VREG_S3_PREFIX", v -> c.storage.s3.prefix = v);
        set("VREG_S3_ENDPOINT", v -> c.storage.s3.endpoint = v);
        set("VREG_S3_REGION", v -> c.storage.s3.region = v);
        set("VREG_S3_PATH_STYLE", v -> c.storage.s3.pathStyle = Boolean.parseBoolean(v));
        set("VREG_S3_ACCESS_KEY_ID", v -> c.storage.s3.accessKeyId = v);
        set("VREG_S3_SECRET_ACCESS_KEY", v -> c.storage.s3.secretAccessKey = v);
        set("VREG_S3_PRESIGNED_REDIRECTS", v -> c.storage.s3.presignedRedirects = Boolean.parseBoolean(v));
        set("VREG_STORAGE_COLLECTION_INTERVAL",
                v -> c.storage.collection.interval = duration("VREG_STORAGE_COLLECTION_INTERVAL", v));
        set("VREG_STORAGE_COLLECTION_GRACE",
                v -> c.storage.collection.grace = duration("VREG_STORAGE_COLLECTION_GRACE", v));
        set("VREG_JOBS_TICK", v -> c.jobs.tick = duration("VREG_JOBS_TICK", v));
        set("VREG_JOBS_NODE", v -> c.jobs.node = v);
        set("VREG_PLUGINS_DIR", v -> c.plugins.dir = Path.of(v));
        set("VREG_METADATA_VALIDITY", v -> c.cache.metadataValidity = duration("VREG_METADATA_VALIDITY", v));
        set("VREG_NOT_FOUND_VALIDITY", v -> c.cache.notFoundValidity = duration("VREG_NOT_FOUND_VALIDITY", v));
        set("VREG_CACHE_MEMORY_BYTES", v -> c.cache.memoryBytes = nonNegative("VREG_CACHE_MEMORY_BYTES", v));
        set("VREG_UPSTREAM_CONNECT_TIMEOUT",
                v -> c.upstreams.connectTimeout = duration("VREG_UPSTREAM_CONNECT_TIMEOUT", v));
        set("VREG_UPSTREAM_READ_TIMEOUT", v -> c.upstreams.readTimeout = duration("VREG_UPSTREAM_READ_TIMEOUT", v));
        set("VREG_UPSTREAMS_ALLOWED_NETWORKS", v -> c.upstreams.allowedNetworks = Arrays.stream(v.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList());
        set("VREG_UPSTREAM_TRANSFER_DEADLINE",
                v -> c.upstreams.transferDeadline = duration("VREG_UPSTREAM_TRANSFER_DEADLINE", v));
        set("VREG_UPSTREAM_MIN_TRANSFER_RATE",
                v -> c.upstreams.minTransferRate = nonNegative("VREG_UPSTREAM_MIN_TRANSFER_RATE", v));
        set("VREG_GO_UPSTREAMS", v -> c.bootstrap.goUpstreams = urlList("VREG_GO_UPSTREAMS", v));
        set("VREG_ADMIN_TOKEN", v -> c.auth.adminToken = v);
        set("VREG_ENCRYPTION_KEY", v -> c.security.encryptionKey = v);
        set("VREG_TLS_KEYSTORE", v -> c.http.tls.keyStore = Path.of(v));
        set("VREG_TLS_KEYSTORE_PASSWORD", v -> c.http.tls.keyStorePassword = v);
        set("VREG_TLS_CERTIFICATE", v -> c.http.tls.certificate = Path.of(v));
        set("VREG_TLS_PRIVATE_KEY", v -> c.http.tls.privateKey = Path.of(v));
        set("VREG_TLS_PORT", v -> c.http.tls.port = port("VREG_TLS_PORT", v));
        set("VREG_TLS_GENERATE", v -> c.http.tls.generate = bool("VREG_TLS_GENERATE", v));
        set("VREG_AUDIT_RETENTION", v -> c.audit.retention = duration("VREG_AUDIT_RETENTION", v));
        set("VREG_GITLAB_GO_PROXY_ROUTE",
                v -> c.compat.gitlabGoProxy.enabled = bool("VREG_GITLAB_GO_PROXY_ROUTE", v));
    }

    private void set(String name, Consumer<String> setter) {
        String value = env.get(name);
        if (value != null && !value.isBlank()) {
            setter.accept(value.trim());
        }
    }

    public static int port(String name, String value) {
        int port = positive(name, value);
        if (port > 65535) {
            throw new ConfigException(name + " must be a port number (1-65535), got '" + value + "'");
        }
        return port;
    }

    static int positive(String name, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a positive whole number, got '" + value + "'");
        }
    }

    static long nonNegative(String name, String value) {
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, 0 or more, got '" + value + "'");
        }
    }

    /** Accepts ISO-8601 ({@code PT5M}) or a number with a unit suffix: {@code 30s}, {@code 5m}, {@code 1h}. */
    public static Duration duration(String name, String value) {
        String v = value.trim();
        try {
            if (v.matches("\\d+(ms|s|m|h|d)")) {
                long n = Long.parseLong(v.replaceAll("\\D", ""));
                return switch (v.replaceAll("\\d", "")) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(v);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ConfigException(name + " must be a duration such as 30s, 5m or PT5M, got '" + value + "'");
        }
    }

    public static List<String> urlList(String name, String value) {
        List<String> urls = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (urls.isEmpty()) {
            throw new ConfigException(name + " must list at least one upstream URL");
        }
        for (String url : urls) {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new ConfigException(name + ": '" + url + "' is not an http:// or https:// URL");
            }
        }
        return urls;
    }
}
