package dev.vreg.host.cli;

import dev.vreg.host.config.ConfigLoader;
import dev.vreg.host.config.VregConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Flags shared by the commands that need a configuration; they override the file and the environment. */
final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (default: $VREG_CONFIG, "
            + "else ./vreg.yaml when present)")
    Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory ($VREG_DATA_DIR, default ./data)")
    Path dataDir;

    @Option(names = "--host", description = "Address to listen on ($VREG_HTTP_HOST, default 127.0.0.1)")
    String host;

    @Option(names = "--port", description = "Port to listen on ($VREG_HTTP_PORT, default 8080)")
    Integer port;

    @Option(names = "--database-url", paramLabel = "URL", description = "postgresql://user:password@host:port/db "
            + "($VREG_DATABASE_URL); embedded PostgreSQL when unset")
    String databaseUrl;

    @Option(names = "--plugins-dir", paramLabel = "DIR", description = "Plugin archives ($VREG_PLUGINS_DIR, "
            + "default ./plugins)")
    Path pluginsDir;

    @Option(names = "--go-upstreams", paramLabel = "URLS", description = "Upstream URLs of the default Go registry, "
            + "comma-separated, in priority order ($VREG_GO_UPSTREAMS, default https://proxy.golang.org)")
    String goUpstreams;

    @Option(names = "--tls-certificate", paramLabel = "FILE", description = "PEM certificate chain for HTTPS "
            + "($VREG_TLS_CERTIFICATE), with --tls-private-key")
    Path tlsCertificate;

    @Option(names = "--tls-private-key", paramLabel = "FILE", description = "PEM private key of the certificate "
            + "($VREG_TLS_PRIVATE_KEY)")
    Path tlsPrivateKey;

    @Option(names = "--tls-port", description = "HTTPS port beside plain HTTP ($VREG_TLS_PORT; 8443 with the "
            + "generated certificate of the embedded default)")
    Integer tlsPort;

    VregConfig load() {
        return load(System.getenv());
    }

    VregConfig load(java.util.Map<String, String> environment) {
        VregConfig config = new ConfigLoader(environment).load(configFile);
        if (dataDir != null) {
            config.dataDir = dataDir;
        }
        if (host != null) {
            config.http.host = host;
        }
        if (port != null) {
            config.http.port = ConfigLoader.port("--port", Integer.toString(port));
        }
        if (databaseUrl != null) {
            config.database.url = databaseUrl;
        }
        if (pluginsDir != null) {
            config.plugins.dir = pluginsDir;
        }
        if (goUpstreams != null) {
            List<String> urls = ConfigLoader.urlList("--go-upstreams", goUpstreams);
            config.bootstrap.goUpstreams = urls;
        }
        if (tlsCertificate != null) {
            config.http.tls.certificate = tlsCertificate;
        }
        if (tlsPrivateKey != null) {
            config.http.tls.privateKey = tlsPrivateKey;
        }
        if (tlsPort != null) {
            config.http.tls.port = ConfigLoader.port("--tls-port", Integer.toString(tlsPort));
        }
        ConfigLoader.checkTls(config.http.tls);
        return config;
    }
}
