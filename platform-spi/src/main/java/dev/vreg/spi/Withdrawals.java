package dev.vreg.spi;

import java.util.Optional;

/** The versions of one name its publisher withdrew, as {@link FormatPlugin#withdrawals} read them. */
@FunctionalInterface
public interface Withdrawals {

    /** Nothing withdrawn. */
    Withdrawals NONE = version -> Optional.empty();

    /** The withdrawal of {@code version}, or empty when it was not withdrawn. */
    Optional<Withdrawal> of(String version);
}
