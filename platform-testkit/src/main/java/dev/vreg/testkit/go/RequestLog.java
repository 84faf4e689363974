package dev.vreg.testkit.go;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the requests a {@link StaticGoProxy} received, by decoded path, and remembers their order. */
final class RequestLog {

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();

    void record(String path) {
        synchronized (order) {
            counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            order.add(path);
        }
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
        }
    }
}
