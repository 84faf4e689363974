package dev.vreg.host.registry;

import dev.vreg.host.upstream.Upstream;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Reads registries with their upstreams. */
public final class RegistryRepository {

    private static final String FIND = """
            SELECT r.id, g.name AS group_name, r.name, r.format, r.public,
                   u.id AS upstream_id, u.group_id, u.name AS upstream_name, u.kind, u.url, u.credentials,
                   u.settings, u.content_validity_s, u.metadata_validity_s, u.module_hints,
                   u.transfer_deadline_s, u.min_transfer_rate, u.updated_at, u.allow_private_network
              FROM registries r
              JOIN groups g ON g.id = r.group_id
              LEFT JOIN registry_upstreams ru ON ru.registry_id = r.id
              LEFT JOIN upstreams u ON u.id = ru.upstream_id
             WHERE g.name = $1 AND r.name = $2
             ORDER BY ru.position
            """;

    private final Pool pool;
    private final Duration defaultMetadataValidity;

    public RegistryRepository(Pool pool, Duration defaultMetadataValidity) {
        this.pool = pool;
        this.defaultMetadataValidity = defaultMetadataValidity;
    }

    public Future<Optional<Registry>> find(String group, String name) {
        return pool.preparedQuery(FIND).execute(Tuple.of(group, name)).map(rows -> {
            Registry registry = null;
            List<Upstream> upstreams = new ArrayList<>();
            for (Row row : rows) {
                if (registry == null) {
                    registry = new Registry(row.getLong("id"), row.getString("group_name"), row.getString("name"),
                            row.getString("format"), row.getBoolean("public"), upstreams);
                }
                if (row.getLong("upstream_id") != null) {
                    upstreams.add(upstream(row));
                }
            }
            return Optional.ofNullable(registry).map(r -> new Registry(r.id(), r.group(), r.name(), r.format(),
                    r.isPublic(), List.copyOf(upstreams)));
        });
    }

    private Upstream upstream(Row row) {
        Long contentValidity = row.getLong("content_validity_s");
        Long metadataValidity = row.getLong("metadata_validity_s");
        String[] hints = row.getArrayOfStrings("module_hints");
        Object settings = row.getValue("settings");
        OffsetDateTime updated = row.getOffsetDateTime("updated_at");
        return new Upstream(row.getLong("upstream_id"), row.getLong("group_id"), row.getString("upstream_name"),
                row.getString("kind"), row.getString("url"),
                row.getBuffer("credentials") == null ? null : row.getBuffer("credentials").getBytes(),
                settings instanceof JsonObject json ? json : new JsonObject(),
                contentValidity == null ? null : Duration.ofSeconds(contentValidity),
                metadataValidity == null ? defaultMetadataValidity : Duration.ofSeconds(metadataValidity),
                hints == null ? List.of() : Arrays.asList(hints),
                row.getLong("transfer_deadline_s"), row.getLong("min_transfer_rate"), updated.toInstant(),
                row.getBoolean("allow_private_network"));
    }
}
