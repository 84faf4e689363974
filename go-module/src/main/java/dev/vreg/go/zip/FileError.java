package dev.vreg.go.zip;

/**
 * A file that was left out of a module zip or made it impossible ({@code zip.FileError}).
 *
 * @param path   the file's slash-separated path relative to the module root
 * @param reason why, in the go command's words ({@code file is in vendor directory})
 */
public record FileError(String path, String reason) {

    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
