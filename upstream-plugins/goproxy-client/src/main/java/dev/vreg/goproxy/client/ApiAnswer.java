package dev.vreg.goproxy.client;

import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * An answer of {@link GoproxyClient#call}: a request to the upstream server's own API (a health check, a ping, a
 * repository's configuration), read whole.
 *
 * @param status        the HTTP status, whatever it was
 * @param contentType   the {@code Content-Type}, or an empty string
 * @param body          the whole body, at most {@link GoproxyClient#CALL_BODY_LIMIT} bytes
 * @param uri           the URL that answered, after redirects
 * @param latencyMillis from sending the request to the end of the body
 */
public record ApiAnswer(int status, String contentType, Buffer body, URI uri, long latencyMillis) {

    /** Whether the answer came over TLS. */
    public boolean tls() {
        return "https".equalsIgnoreCase(uri.getScheme());
    }

    /** The body as UTF-8 text. */
    public String text() {
        return body.toString(StandardCharsets.UTF_8);
    }

    /** {@code host} or {@code host:port} of the URL that answered, for messages. */
    public String host() {
        return UpstreamBaseUrl.display(uri);
    }
}
