package dev.vreg.testkit.go;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The faults injected into a {@link StaticGoProxy}, by decoded request path, with how often each still applies. */
final class FaultTable {

    private final Map<String, Armed> faults = new ConcurrentHashMap<>();

    void put(String path, Fault fault) {
        faults.put(path, new Armed(fault, fault.times()));
    }

    void clear() {
        faults.clear();
    }

    /** The fault for this request, counting it against the fault's limit; {@code null} when none applies. */
    Fault take(String path) {
        Fault[] taken = new Fault[1];
        faults.computeIfPresent(path, (p, armed) -> {
            taken[0] = armed.fault;
            if (armed.remaining == Fault.ALWAYS) {
                return armed;
            }
            return armed.remaining > 1 ? new Armed(armed.fault, armed.remaining - 1) : null;
        });
        return taken[0];
    }

    private record Armed(Fault fault, int remaining) {
    }
}
