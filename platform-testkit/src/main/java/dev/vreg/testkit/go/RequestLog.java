package dev.vreg.testkit.go;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the requests a {@link StaticGoProxy} received, by decoded path, and remembers their order and headers. */
final class RequestLog {

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();
    private final List<MultiMap> headers = new ArrayList<>();

    void record(String path, MultiMap requestHeaders) {
        synchronized (order) {
            counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            order.add(path);
            headers.add(MultiMap.caseInsensitiveMultiMap().addAll(requestHeaders));
        }
    }

    List<String> header(String path, String name) {
        List<String> values = new ArrayList<>();
        synchronized (order) {
            for (int i = 0; i < order.size(); i++) {
                if (order.get(i).equals(path)) {
                    String value = headers.get(i).get(name);
                    values.add(value);
                }
            }
        }
        return values;
    }

    int count(String path) {
        AtomicInteger n = counts.get(path);
        return n == null ? 0 : n.get();
    }

    int total() {
        synchronized (order) {
            return order.size();
        }
    }

    List<String> paths() {
        synchronized (order) {
            return List.copyOf(order);
        }
    }

    void reset() {
        synchronized (order) {
            counts.clear();
            order.clear();
            headers.clear();
        }
    }
}
