package dev.vreg.host.upstream.address;

import dev.vreg.host.vertx.RequestId;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP client a plugin gets: requests only, each carrying the {@code X-Request-Id} of the package request it is
 * made for (a fetch shared by several requests carries the id of the one that started it), so that an upstream's
 * logs can be matched with vreg's. The client behind it is also an {@code HttpClientAgent}, whose
 * {@code connect} opens connections without the address check, and a request naming its own proxy would reach the
 * proxy unchecked; neither is offered.
 */
public final class GuardedHttpClient implements HttpClient {

    private final HttpClient delegate;

    /** @param delegate a client built with a {@link GuardedAddressResolver} */
    public GuardedHttpClient(HttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public Future<HttpClientRequest> request(RequestOptions options) {
        if (options.getProxyOptions() != null) {
            return Future.failedFuture(new IllegalArgumentException(
                    "requests of upstream clients use the host's proxy settings and may not name a proxy"));
        }
        String requestId = RequestId.current();
        if (requestId != null
                && (options.getHeaders() == null || !options.getHeaders().contains(RequestId.HEADER))) {
            options = new RequestOptions(options).putHeader(RequestId.HEADER, requestId);
        }
        return delegate.request(options);
    }

    @Override
    public Future<Void> shutdown(long timeout, TimeUnit unit) {
        return delegate.shutdown(timeout, unit);
    }
}
