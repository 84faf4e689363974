package dev.vreg.host.policy;

import dev.vreg.host.registry.PerRegistry;
import io.vertx.core.Future;

/** The registries' filter rules as the request path reads them (see {@link PerRegistry}). */
public final class FilterDirectory {

    private final PerRegistry<FilterSet> rules;

    public FilterDirectory(FilterStore store) {
        this.rules = new PerRegistry<>(store::filters);
    }

    public Future<FilterSet> of(long registryId) {
        return rules.of(registryId);
    }

    public void invalidateAll() {
        rules.invalidateAll();
    }
}
