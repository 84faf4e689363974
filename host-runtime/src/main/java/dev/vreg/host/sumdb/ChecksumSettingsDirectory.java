package dev.vreg.host.sumdb;

import dev.vreg.host.registry.PerRegistry;
import io.vertx.core.Future;

/** The registries' checksum database settings as the request path reads them (see {@link PerRegistry}). */
public final class ChecksumSettingsDirectory {

    private final PerRegistry<ChecksumSettings> settings;

    public ChecksumSettingsDirectory(ChecksumStore store) {
        this.settings = new PerRegistry<>(registryId -> store.settings(registryId)
                .map(found -> found.orElse(ChecksumSettings.DEFAULT)));
    }

    public Future<ChecksumSettings> of(long registryId) {
        return settings.of(registryId);
    }

    public void invalidateAll() {
        settings.invalidateAll();
    }
}
