package dev.vreg.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's nginx serving the fixture tree from disk, the way a static GOPROXY is best served: sendfile, kept-alive
 * connections, no access log, one worker per core, running as the user who owns the tree (its files are private to that user). It is both the serving limit the table compares against and the
 * upstream vreg and the peers fetch from.
 */
final class Nginx implements AutoCloseable {

    private final ServerProcess process;
    private final int port;

    private Nginx(ServerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static Nginx start(Path binary, Path tree, Path dir, int port) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("tmp"));
        String config = """
                user %4$s;
                worker_processes auto;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    sendfile on;
                    tcp_nopush on;
                    keepalive_requests 1000000;
                    keepalive_timeout 120s;
                    client_body_temp_path %1$s/tmp/body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                    types {
                        application/json info;
                        text/plain mod;
                        application/zip zip;
                    }
                    default_type text/plain;
                    server {
                        listen 127.0.0.1:%2$d;
                        root %3$s;
                    }
                }
                """.formatted(dir, port, tree, System.getProperty("user.name"));
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, config);
        ServerProcess process = ServerProcess.start("nginx", List.of(binary.toString(), "-p", dir.toString(),
                "-e", dir.resolve("logs/error.log").toString(), "-c", file.toString(), "-g", "daemon off;"),
                java.util.Map.of(), dir.resolve("logs/stdout.log"));
        Nginx nginx = new Nginx(process, port);
        process.awaitHttp("http://127.0.0.1:" + port + "/", 30_000);
        return nginx;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
    }
}
