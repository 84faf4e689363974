package dev.vreg.go.filter;

import static dev.vreg.go.module.GoQuote.quote;

import dev.vreg.go.module.PseudoVersion;
import dev.vreg.go.module.Semver;
import dev.vreg.spi.Withdrawals;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A filter rule's version condition: comma-separated terms that must all hold. A term is a comparison with a
 * semantic version ({@code < v1.4.2}, {@code >= v2.0.0}, {@code = v1.2.3}, {@code != v1.2.3}) in the go command's
 * version order, where a pseudo-version sorts as the prerelease it is, or one of the words {@code prerelease} (a
 * prerelease that is not a pseudo-version), {@code pseudo} (a pseudo-version), {@code incompatible} (a
 * {@code +incompatible} version), {@code release} (neither a prerelease nor a pseudo-version) and {@code retracted}
 * (retracted by the go.mod of the module's latest version, see {@link RetractedVersions}).
 */
public final class VersionCondition {

    private static final int MAX_LENGTH = 500;
    private static final List<String> OPERATORS = List.of("<=", ">=", "!=", "<", ">", "=");

    private static final List<String> WORDS = List.of("prerelease", "pseudo", "incompatible", "release", "retracted");

    private record Term(String operator, String version) {
        boolean holds(String v, Withdrawals withdrawals) {
            return switch (operator) {
                case "retracted" -> withdrawals.of(v).isPresent();
                case "prerelease" -> !Semver.prerelease(v).isEmpty() && !PseudoVersion.isPseudo(v);
                case "pseudo" -> PseudoVersion.isPseudo(v);
                case "incompatible" -> "+incompatible".equals(Semver.build(v));
                case "release" -> Semver.prerelease(v).isEmpty();
                default -> compare(Semver.compare(v, version));
            };
        }

        private boolean compare(int c) {
            return switch (operator) {
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                case "=" -> c == 0;
                default -> c != 0;
            };
        }
    }

    private final List<Term> terms;

    private VersionCondition(List<Term> terms) {
        this.terms = terms;
    }

    /** Why {@code condition} is not one, in a sentence naming the bad term, or empty. */
    public static Optional<String> problem(String condition) {
        try {
            parse(condition);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Whether {@code version} (a valid Go version) satisfies {@code condition}. */
    public static boolean matches(String condition, String version) {
        return matches(condition, version, Withdrawals.NONE);
    }

    /** Whether {@code version} satisfies {@code condition}, {@code retracted} meaning one of {@code withdrawals}. */
    public static boolean matches(String condition, String version, Withdrawals withdrawals) {
        return Semver.isValid(version) && parse(condition).terms.stream().allMatch(t -> t.holds(version, withdrawals));
    }

    /** Whether {@code condition} has the term {@code retracted}, so the retractions must be read to decide. */
    public static boolean needsRetractions(String condition) {
        return parse(condition).terms.stream().anyMatch(t -> t.operator.equals("retracted"));
    }

    static VersionCondition parse(String condition) {
        if (condition == null || condition.isBlank()) {
            throw new IllegalArgumentException("version condition is empty; give a range such as < v1.4.2");
        }
        if (condition.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("version condition is longer than " + MAX_LENGTH + " characters");
        }
        List<Term> terms = new ArrayList<>();
        for (String raw : condition.split(",", -1)) {
            terms.add(term(raw.strip(), condition));
        }
        return new VersionCondition(terms);
    }

    private static Term term(String term, String condition) {
        if (term.isEmpty()) {
            throw new IllegalArgumentException("version condition " + quote(condition) + " has an empty term");
        }
        if (WORDS.contains(term)) {
            return new Term(term, null);
        }
        for (String operator : OPERATORS) {
            if (term.startsWith(operator)) {
                String version = term.substring(operator.length()).strip();
                if (!Semver.isValid(version)) {
                    throw new IllegalArgumentException("version range " + quote(term) + ": " + quote(version)
                            + " is not a semantic version such as v1.4.2");
                }
                return new Term(operator, version);
            }
        }
        throw new IllegalArgumentException("version range " + quote(term) + " is not understood: use <, <=, >, >=, "
                + "=, != followed by a version, or prerelease, pseudo, incompatible, release, retracted");
    }
}
