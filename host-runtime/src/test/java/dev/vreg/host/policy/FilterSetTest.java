package dev.vreg.host.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.host.Version;
import dev.vreg.host.policy.api.FiltersHandler;
import dev.vreg.host.http.InvalidFields;
import dev.vreg.host.plugins.PluginHost;
import dev.vreg.host.policy.FilterRule.Action;
import dev.vreg.host.support.TestVreg;
import dev.vreg.spi.FormatPlugin;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The evaluation order of filter rules, with the Go format's own patterns and version conditions. */
class FilterSetTest {

    static PluginHost plugins;
    static FormatPlugin go;

    @BeforeAll
    static void load() {
        plugins = PluginHost.load(TestVreg.pluginsDir(), Version.PLATFORM);
        go = plugins.format("go").orElseThrow();
    }

    @Test
    void theFirstApplyingRuleDecides() {
        FilterSet set = new FilterSet(FilterSet.Mode.DENY_LIST, List.of(
                new FilterRule(Action.ALLOW, "example.com/lib", "= v1.3.0", null),
                new FilterRule(Action.DENY, "example.com/lib", "< v1.4.2", "CVE-2026-0001"),
                new FilterRule(Action.DENY, "example.com/banned", null, null)));
        FilterSet.Verdict old = set.decide(go, "example.com/lib", "v1.4.1");
        assertThat(old.allowed()).isFalse();
        assertThat(old.rule()).isEqualTo(2);
        assertThat(old.why()).isEqualTo("example.com/lib@v1.4.1 is denied by filter rule 2 "
                + "(deny example.com/lib < v1.4.2): CVE-2026-0001");
        assertThat(set.decide(go, "example.com/lib", "v1.3.0").rule()).isEqualTo(1);
        assertThat(set.decide(go, "example.com/lib", "v1.3.0").allowed()).isTrue();
        assertThat(set.decide(go, "example.com/lib", "v1.4.2").allowed()).isTrue();
        assertThat(set.decide(go, "example.com/lib", "v1.4.2").rule()).isZero();
        // A version-narrowed deny rule removes versions; the module itself stays listed.
        assertThat(set.decide(go, "example.com/lib", null).allowed()).isTrue();
        assertThat(set.decide(go, "example.com/banned", null).allowed()).isFalse();
        assertThat(set.decide(go, "example.com/banned/sub", "v1.0.0").allowed()).isFalse();
        assertThat(set.decide(go, "example.com/bannedx", "v1.0.0").allowed()).isTrue();
    }

    @Test
    void anAllowListRefusesWhatNoAllowRuleAdmits() {
        FilterSet set = new FilterSet(FilterSet.Mode.ALLOW_LIST, List.of(
                new FilterRule(Action.DENY, "github.com/myorg/legacy", null, "retired"),
                new FilterRule(Action.ALLOW, "github.com/myorg", null, null),
                new FilterRule(Action.ALLOW, "*.corp.example", "release", null)));
        assertThat(set.decide(go, "github.com/myorg/tool", "v1.0.0").allowed()).isTrue();
        assertThat(set.decide(go, "github.com/myorg/legacy", "v1.0.0").allowed()).isFalse();
        assertThat(set.decide(go, "github.com/other/tool", null).allowed()).isFalse();
        assertThat(set.decide(go, "github.com/other/tool", null).why()).contains("allow-list");
        assertThat(set.decide(go, "git.corp.example/a/b", null).allowed()).isTrue();
        assertThat(set.decide(go, "git.corp.example/a/b", "v1.0.0").allowed()).isTrue();
        assertThat(set.decide(go, "git.corp.example/a/b", "v1.1.0-rc.1").allowed()).isFalse();
    }

    @Test
    void theGroupsRulesComeFirstAndEitherAllowListRefusesWhatNoRuleAdmits() {
        FilterSet group = new FilterSet(FilterSet.Mode.DENY_LIST, List.of(
                new FilterRule(Action.DENY, "example.com/lib", "< v1.4.2", "CVE-2026-0001"),
                new FilterRule(Action.ALLOW, "example.com/vetted", null, null)));
        FilterSet registry = new FilterSet(FilterSet.Mode.ALLOW_LIST, List.of(
                new FilterRule(Action.ALLOW, "example.com/lib", null, null),
                new FilterRule(Action.DENY, "example.com/vetted", null, "not here")));
        FilterChain chain = new FilterChain(group, registry);
        assertThat(chain.mode()).isEqualTo(FilterSet.Mode.ALLOW_LIST);
        FilterSet.Verdict old = chain.decide(go, "example.com/lib", "v1.4.1");
        assertThat(old.allowed()).isFalse();
        assertThat(old.level()).isEqualTo(FilterSet.Level.GROUP);
        assertThat(old.rule()).isEqualTo(1);
        assertThat(old.why()).isEqualTo("example.com/lib@v1.4.1 is denied by group filter rule 1 "
                + "(deny example.com/lib < v1.4.2): CVE-2026-0001");
        FilterSet.Verdict current = chain.decide(go, "example.com/lib", "v1.4.2");
        assertThat(current.allowed()).isTrue();
        assertThat(current.level()).isEqualTo(FilterSet.Level.REGISTRY);
        assertThat(current.rule()).isEqualTo(1);
        // A group rule decides before the registry's own.
        assertThat(chain.decide(go, "example.com/vetted", "v1.0.0").level()).isEqualTo(FilterSet.Level.GROUP);
        assertThat(chain.decide(go, "example.com/vetted", "v1.0.0").allowed()).isTrue();
        FilterSet.Verdict other = chain.decide(go, "example.com/other", null);
        assertThat(other.allowed()).isFalse();
        assertThat(other.level()).isNull();
        assertThat(other.why()).contains("registry is an allow-list");
        // A group allow-list refuses what neither level admits, whatever the registry's mode.
        FilterChain strict = new FilterChain(new FilterSet(FilterSet.Mode.ALLOW_LIST, List.of(
                new FilterRule(Action.ALLOW, "github.com/myorg", null, null))), FilterSet.NONE);
        assertThat(strict.decide(go, "github.com/myorg/tool", "v1.0.0").allowed()).isTrue();
        assertThat(strict.decide(go, "github.com/other/tool", "v1.0.0").why()).contains("group is an allow-list");
        assertThat(FilterChain.NONE.decide(go, "example.com/x", "v1.0.0").allowed()).isTrue();
    }

    @Test
    void rulesAreCheckedByTheFormat() {
        assertThatThrownBy(() -> read("""
                {"mode": "allow-list", "rules": [
                  {"action": "allow", "pattern": "example.com/["},
                  {"action": "deny", "pattern": "example.com/x", "versions": ">= v2.0.0, < 2.3"},
                  {"action": "block", "pattern": "example.com/y", "extra": 1}]}"""))
                .isInstanceOfSatisfying(InvalidFields.class, e -> assertThat(e.errors()).extracting(
                        f -> f.field() + ": " + f.message()).containsExactlyInAnyOrder(
                        "rules[0].pattern: module path pattern \"example.com/[\" is malformed: syntax error in "
                                + "pattern",
                        "rules[1].versions: version range \"< 2.3\": \"2.3\" is not a semantic version such as "
                                + "v1.4.2",
                        "rules[2].extra: is not a known field",
                        "rules[2].action: must be allow or deny"));
        FilterSet ok = read("""
                {"mode": "allow-list", "rules": [{"action": "allow", "pattern": "github.com/myorg",
                  "versions": " >= v1.0.0 ", "reason": "ours"}]}""");
        assertThat(ok.mode()).isEqualTo(FilterSet.Mode.ALLOW_LIST);
        assertThat(ok.rules()).containsExactly(new FilterRule(Action.ALLOW, "github.com/myorg", ">= v1.0.0", "ours"));
    }

    private static FilterSet read(String json) {
        io.vertx.core.json.JsonObject body = new io.vertx.core.json.JsonObject(json);
        return FiltersHandler.read(body, go);
    }
}
