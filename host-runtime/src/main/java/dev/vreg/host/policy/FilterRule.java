package dev.vreg.host.policy;

import io.vertx.core.json.JsonObject;

/**
 * One filter rule of a registry: it matches names by the format's own patterns (Go: GOPRIVATE globs), optionally
 * only some versions of them, and allows or denies what it matches.
 *
 * @param versions the format's version condition, or {@code null} for every version
 * @param reason   what a refused client is told, or {@code null} for a sentence naming the rule
 */
public record FilterRule(Action action, String pattern, String versions, String reason) {

    public enum Action {
        ALLOW, DENY;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Action of(String id) {
            for (Action a : values()) {
                if (a.id().equals(id)) {
                    return a;
                }
            }
            return null;
        }
    }

    /** The rule as the explain answer and the refusal name it: {@code deny example.com/x < v1.4.2}. */
    public String describe() {
        return action.id() + " " + pattern + (versions == null ? "" : " " + versions);
    }

    public JsonObject json() {
        return new JsonObject().put("action", action.id()).put("pattern", pattern).put("versions", versions)
                .put("reason", reason);
    }

    public static FilterRule fromJson(JsonObject json) {
        return new FilterRule(Action.of(json.getString("action")), json.getString("pattern"),
                json.getString("versions"), json.getString("reason"));
    }
}
