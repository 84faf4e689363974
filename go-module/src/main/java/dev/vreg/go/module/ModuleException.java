package dev.vreg.go.module;

/**
 * A module path, version or file path broke one of the go command's rules. The message reads like the go command's
 * own error for the same input, so it can be shown to a go client as is.
 */
public final class ModuleException extends IllegalArgumentException {

    public ModuleException(String message) {
        super(message);
    }
}
