package dev.vreg.host.policy;

import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import dev.vreg.spi.FormatPlugin;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A registry's filter rules and what they decide. The rules are read in order and the first that applies decides:
 * <ul>
 *   <li>for a version of a name, a rule applies when its pattern matches the name and its version condition (if
 *       any) holds for the version;</li>
 *   <li>for a name as a whole (its version list, {@code @latest}), a rule applies when its pattern matches, except
 *       a deny rule with a version condition: that one removes versions, not the name;</li>
 *   <li>when no rule applies, a {@link Mode#DENY_LIST} registry admits and an {@link Mode#ALLOW_LIST} one refuses.</li>
 * </ul>
 */
public record FilterSet(Mode mode, List<FilterRule> rules) {

    public static final FilterSet NONE = new FilterSet(Mode.DENY_LIST, List.of());

    public enum Mode {
        DENY_LIST("deny-list"), ALLOW_LIST("allow-list");

        private final String id;

        Mode(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Mode of(String id) {
            for (Mode m : values()) {
                if (m.id.equals(id)) {
                    return m;
                }
            }
            return null;
        }
    }

    /**
     * What the rules decided and why.
     *
     * @param rule the deciding rule's position, 1-based, or 0 when none applied and the mode decided
     */
    public record Verdict(boolean allowed, int rule, FilterRule decidedBy, String why) {

        public JsonObject json() {
            return new JsonObject().put("allowed", allowed).put("rule", rule == 0 ? null : rule)
                    .put("decidedBy", decidedBy == null ? null : decidedBy.json()).put("why", why);
        }
    }

    public FilterSet {
        rules = List.copyOf(rules);
    }

    public boolean isEmpty() {
        return mode == Mode.DENY_LIST && rules.isEmpty();
    }

    /** The verdict for {@code name} at {@code version}, or for the name as a whole when {@code version} is null. */
    public Verdict decide(FormatPlugin format, String name, String version) {
        ArtifactRef ref = new ArtifactRef(name, AssetKind.METADATA, name, version, "");
        String subject = version == null ? name : name + "@" + version;
        for (int i = 0; i < rules.size(); i++) {
            FilterRule rule = rules.get(i);
            if (!format.matchesHints(List.of(rule.pattern()), ref)) {
                continue;
            }
            if (rule.versions() != null) {
                if (version == null && rule.action() == FilterRule.Action.DENY) {
                    continue;
                }
                if (version != null && !format.versionMatches(rule.versions(), version)) {
                    continue;
                }
            }
            boolean allowed = rule.action() == FilterRule.Action.ALLOW;
            String why = subject + " is " + (allowed ? "allowed" : "denied") + " by filter rule " + (i + 1) + " ("
                    + rule.describe() + ")" + (rule.reason() == null ? "" : ": " + rule.reason());
            return new Verdict(allowed, i + 1, rule, why);
        }
        return mode == Mode.ALLOW_LIST
                ? new Verdict(false, 0, null, subject + " is denied: the registry is an allow-list and no allow rule "
                        + "admits it")
                : new Verdict(true, 0, null, subject + " is allowed: no filter rule matches it");
    }

    public JsonObject json() {
        JsonArray array = new JsonArray();
        rules.forEach(r -> array.add(r.json()));
        return new JsonObject().put("mode", mode.id()).put("rules", array);
    }
}
