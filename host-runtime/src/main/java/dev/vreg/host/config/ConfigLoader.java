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
        return config;
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
        set("VREG_DATABASE_RECOVERY_TIMEOUT",
                v -> c.database.recoveryTimeout = duration("VREG_DATABASE_RECOVERY_TIMEOUT", v));
        set("VREG_STORAGE_PATH", v -> c.storage.path = Path.of(v));
        set("VREG_PLUGINS_DIR", v -> c.plugins.dir = Path.of(v));
        set("VREG_METADATA_VALIDITY", v -> c.cache.metadataValidity = duration("VREG_METADATA_VALIDITY", v));
        set("VREG_NOT_FOUND_VALIDITY", v -> c.cache.notFoundValidity = duration("VREG_NOT_FOUND_VALIDITY", v));
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
