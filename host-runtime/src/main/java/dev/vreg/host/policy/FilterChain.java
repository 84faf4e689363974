package dev.vreg.host.policy;

import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.Withdrawals;

/**
 * The filter rules a registry's requests meet: its group's, then its own. The group's rules are read first and the
 * first that applies decides; when none does, the registry's rules are read the same way. When no rule of either
 * applies, the request is refused if the group or the registry is an allow-list, and admitted otherwise. So a group
 * rule cannot be overridden by a registry, a registry can only decide what its group leaves open, and an allow rule
 * of either level admits into an allow-list of either level.
 */
public record FilterChain(FilterSet group, FilterSet registry) {

    public static final FilterChain NONE = new FilterChain(FilterSet.NONE, FilterSet.NONE);

    public boolean isEmpty() {
        return group.isEmpty() && registry.isEmpty();
    }

    /** Whether a rule of either level that may apply to {@code name} asks which of its versions were withdrawn. */
    public boolean needsWithdrawals(FormatPlugin format, String name) {
        return group.needsWithdrawals(format, name) || registry.needsWithdrawals(format, name);
    }

    /** The mode that decides when no rule applies: allow-list when either level is one. */
    public FilterSet.Mode mode() {
        return group.mode() == FilterSet.Mode.ALLOW_LIST || registry.mode() == FilterSet.Mode.ALLOW_LIST
                ? FilterSet.Mode.ALLOW_LIST : FilterSet.Mode.DENY_LIST;
    }

    /** The verdict for {@code name} at {@code version}, or for the name as a whole when {@code version} is null. */
    public FilterSet.Verdict decide(FormatPlugin format, String name, String version) {
        return decide(format, name, version, Withdrawals.NONE);
    }

    /**
     * As above, with the versions of {@code name} its publisher withdrew, which a rule may ask about (Go: the
     * {@code retracted} condition); read them first when {@link #needsWithdrawals} says so.
     */
    public FilterSet.Verdict decide(FormatPlugin format, String name, String version, Withdrawals withdrawals) {
        FilterSet.Verdict verdict = group.match(format, name, version, FilterSet.Level.GROUP, withdrawals);
        if (verdict == null) {
            verdict = registry.match(format, name, version, FilterSet.Level.REGISTRY, withdrawals);
        }
        if (verdict != null) {
            return verdict;
        }
        String subject = FilterSet.subject(name, version);
        if (group.mode() == FilterSet.Mode.ALLOW_LIST) {
            return new FilterSet.Verdict(false, 0, null, subject + " is denied: the group is an allow-list and no "
                    + "allow rule of the group or the registry admits it");
        }
        if (registry.mode() == FilterSet.Mode.ALLOW_LIST) {
            return new FilterSet.Verdict(false, 0, null, subject + " is denied: the registry is an allow-list and "
                    + "no allow rule " + (group.rules().isEmpty() ? "" : "of the group or the registry ")
                    + "admits it");
        }
        return new FilterSet.Verdict(true, 0, null, subject + " is allowed: no filter rule matches it");
    }
}
