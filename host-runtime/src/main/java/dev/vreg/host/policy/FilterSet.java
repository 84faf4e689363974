package dev.vreg.host.policy;

import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.Withdrawal;
import dev.vreg.spi.Withdrawals;
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

    /** Whose rules decided: the group's (applied to each of its registries) or the registry's own. */
    public enum Level {
        GROUP("group"), REGISTRY("registry");

        private final String id;

        Level(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /**
     * What the rules decided and why.
     *
     * @param rule  the deciding rule's position in its level's list, 1-based, or 0 when none applied and the mode
     *              decided
     * @param level whose rule decided, or {@code null} when the mode decided
     */
    public record Verdict(boolean allowed, int rule, FilterRule decidedBy, String why, Level level) {

        public Verdict(boolean allowed, int rule, FilterRule decidedBy, String why) {
            this(allowed, rule, decidedBy, why, null);
        }

        public JsonObject json() {
            return new JsonObject().put("allowed", allowed).put("rule", rule == 0 ? null : rule)
                    .put("level", level == null ? null : level.id())
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
        return decide(format, name, version, Withdrawals.NONE);
    }

    /** As above, with the versions of {@code name} its publisher withdrew (see {@link #needsWithdrawals}). */
    public Verdict decide(FormatPlugin format, String name, String version, Withdrawals withdrawals) {
        Verdict verdict = match(format, name, version, Level.REGISTRY, withdrawals);
        if (verdict != null) {
            return verdict;
        }
        return mode == Mode.ALLOW_LIST
                ? new Verdict(false, 0, null, subject(name, version) + " is denied: the registry is an allow-list and "
                        + "no allow rule admits it")
                : new Verdict(true, 0, null, subject(name, version) + " is allowed: no filter rule matches it");
    }

    /** The verdict of the first rule that applies, or {@code null} when none does and the mode is left to decide. */
    Verdict match(FormatPlugin format, String name, String version, Level level, Withdrawals withdrawals) {
        ArtifactRef ref = new ArtifactRef(name, AssetKind.METADATA, name, version, "");
        for (int i = 0; i < rules.size(); i++) {
            FilterRule rule = rules.get(i);
            if (!format.matchesHints(List.of(rule.pattern()), ref)) {
                continue;
            }
            if (rule.versions() != null) {
                if (version == null && rule.action() == FilterRule.Action.DENY) {
                    continue;
                }
                if (version != null && !format.versionMatches(rule.versions(), version, withdrawals)) {
                    continue;
                }
            }
            boolean allowed = rule.action() == FilterRule.Action.ALLOW;
            Withdrawal withdrawal = version != null && rule.versions() != null
                    && format.needsWithdrawals(rule.versions()) ? withdrawals.of(version).orElse(null) : null;
            String why = subject(name, version) + " is " + (allowed ? "allowed" : "denied") + " by "
                    + (level == Level.GROUP ? "group " : "") + "filter rule " + (i + 1) + " (" + rule.describe() + ")"
                    + (rule.reason() == null ? "" : ": " + rule.reason())
                    + (withdrawal == null ? "" : "; " + withdrawal.description());
            return new Verdict(allowed, i + 1, rule, why, level);
        }
        return null;
    }

    /** Whether a rule that may apply to {@code name} asks which of its versions were withdrawn. */
    boolean needsWithdrawals(FormatPlugin format, String name) {
        ArtifactRef ref = new ArtifactRef(name, AssetKind.METADATA, name, null, "");
        return rules.stream().anyMatch(rule -> rule.versions() != null && format.needsWithdrawals(rule.versions())
                && format.matchesHints(List.of(rule.pattern()), ref));
    }

    static String subject(String name, String version) {
        return version == null ? name : name + "@" + version;
    }

    public JsonObject json() {
        JsonArray array = new JsonArray();
        rules.forEach(r -> array.add(r.json()));
        return new JsonObject().put("mode", mode.id()).put("rules", array);
    }
}
