package dev.vreg.host.proxy;

import io.vertx.core.Future;

/**
 * Asking one upstream for one path, and each concern wrapped around that: a {@link Layer} either answers by itself
 * (a remembered miss, a remembered refusal, a fetch already in flight) or passes the ask on to the call it wraps.
 * The resolvers build their chains from layers, innermost the actual fetch, so a new concern is one more layer.
 */
@FunctionalInterface
interface UpstreamCall<T> {

    Future<T> call(Ask ask);

    /** A concern around an {@link UpstreamCall}. */
    @FunctionalInterface
    interface Layer<T> {
        UpstreamCall<T> around(UpstreamCall<T> next);
    }

    /** {@code innermost} wrapped by {@code layers}, the first layer outermost. */
    @SafeVarargs
    static <T> UpstreamCall<T> chain(UpstreamCall<T> innermost, Layer<T>... layers) {
        UpstreamCall<T> call = innermost;
        for (int i = layers.length - 1; i >= 0; i--) {
            call = layers[i].around(call);
        }
        UpstreamCall<T> built = call;
        return ask -> {
            try {
                return built.call(ask);
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        };
    }
}
