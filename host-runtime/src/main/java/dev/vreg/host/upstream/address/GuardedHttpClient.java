package dev.vreg.host.upstream.address;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP client a plugin gets: requests only. The client behind it is also an {@code HttpClientAgent}, whose
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
        return delegate.request(options);
    }

    @Override
    public Future<Void> shutdown(long timeout, TimeUnit unit) {
        return delegate.shutdown(timeout, unit);
    }
}
