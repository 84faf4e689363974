package dev.vreg.host.policy;

import dev.vreg.host.registry.PerRegistry;
import io.vertx.core.Future;

/** The registries' filter rules, their groups' first, as the request path reads them (see {@link PerRegistry}). */
public final class FilterDirectory {

    private final PerRegistry<FilterChain> rules;

    public FilterDirectory(FilterStore store) {
        this.rules = new PerRegistry<>(store::chain);
    }

    public Future<FilterChain> of(long registryId) {
        return rules.of(registryId);
    }

    public void invalidateAll() {
        rules.invalidateAll();
    }
}
