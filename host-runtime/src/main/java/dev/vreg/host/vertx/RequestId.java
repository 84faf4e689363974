package dev.vreg.host.vertx;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The id of the HTTP request being handled. Vert.x handles each request on its own duplicate of the event loop's
 * context, and every callback of that request (a query, a file, an upstream call, work on a worker thread) runs on
 * that duplicate; the id is kept in its local data, so it follows the request where a thread-local MDC would not.
 * {@link RequestIdLogFilter} hands it to each log line.
 */
public final class RequestId {

    /** Accepted from the client when sane, and always answered. */
    public static final String HEADER = "X-Request-Id";

    /** The MDC key log lines carry it under. */
    public static final String MDC_KEY = "requestId";

    /** What a client may choose: proxies' and tracers' ids (UUIDs, hex, base64url), never spaces or controls. */
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:+=/-]{1,128}");

    private static final Object KEY = new Object();

    private RequestId() {
    }

    /** {@code incoming} when a client sent a sane id, else a new one. */
    public static String accept(String incoming) {
        return incoming != null && SANE.matcher(incoming).matches() ? incoming : generate();
    }

    /** 128 random bits in hex. */
    public static String generate() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Makes {@code id} the id of the request handled on {@code context}, which must be the request's own. */
    public static void bind(Context context, String id) {
        ((ContextInternal) context).localContextData().put(KEY, id);
    }

    /** The id of the request whose callback runs on this thread, or {@code null} outside of one. */
    public static String current() {
        Context context = Vertx.currentContext();
        if (context == null) {
            return null;
        }
        Map<Object, Object> data = context.getLocal(ContextInternal.LOCAL_MAP);
        return data == null ? null : (String) data.get(KEY);
    }
}
