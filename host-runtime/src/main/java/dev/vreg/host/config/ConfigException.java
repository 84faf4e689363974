package dev.vreg.host.config;

/** A configuration problem, with a message that names the setting and what is wrong with it. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
