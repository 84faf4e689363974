package dev.vreg.host.policy.lifecycle;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes a registry's or an upstream's cached files not pulled for {@code unusedDays}, keeping the
 * {@code keepNewest} newest versions of every name (0: none kept for being newest); runs every {@code everyHours}.
 * Exactly one of {@code registryId} and {@code upstreamId} is set.
 */
public record LifecyclePolicy(long id, long groupId, Long registryId, String registry, Long upstreamId,
                              String format, Settings settings, Instant updatedAt) {

    /** What a maintainer sets. */
    public record Settings(int unusedDays, int keepNewest, int everyHours, boolean enabled) {

        public Duration every() {
            return Duration.ofHours(everyHours);
        }
    }

    /** The name of the scheduled job that runs it. */
    public String job() {
        return jobName(id);
    }

    public static String jobName(long id) {
        return "lifecycle-policy-" + id;
    }

    /** The last use before which an entry goes, for a run at {@code now}. */
    public Instant cutOff(Instant now) {
        return now.minus(Duration.ofDays(settings.unusedDays()));
    }

    public JsonObject json() {
        JsonObject json = new JsonObject().put("id", id);
        if (registryId != null) {
            json.put("registry", registry);
        } else {
            json.put("upstreamId", upstreamId);
        }
        return json.put("unusedDays", settings.unusedDays()).put("keepNewest", settings.keepNewest())
                .put("everyHours", settings.everyHours()).put("enabled", settings.enabled()).put("job", job())
                .put("updatedAt", updatedAt.toString());
    }
}
