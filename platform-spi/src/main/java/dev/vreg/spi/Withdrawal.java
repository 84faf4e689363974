package dev.vreg.spi;

/**
 * A version its publisher withdrew, and where that was said (Go: a version retracted by the go.mod of the module's
 * latest version).
 *
 * @param by          the version whose metadata withdrew it
 * @param rationale   the publisher's reason as written, lines joined by {@code \n}; empty when none was given
 * @param description one line for people naming both, such as {@code retracted by the go.mod of v1.2.0: broken}
 */
public record Withdrawal(String by, String rationale, String description) {
}
