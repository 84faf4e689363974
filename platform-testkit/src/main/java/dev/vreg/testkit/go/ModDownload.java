package dev.vreg.testkit.go;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One object of {@code go mod download -json} output.
 *
 * @param fields every field as go printed it (names as in go: {@code Path}, {@code Version}, {@code Sum}, ...)
 */
public record ModDownload(Map<String, Object> fields) {

    public ModDownload {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The module path. */
    public String path() {
        return string("Path");
    }

    /** The resolved version. */
    public String version() {
        return string("Version");
    }

    /** The error go reported for this module, or {@code null}. */
    public String error() {
        return string("Error");
    }

    /** The {@code h1:} hash of the zip, as go.sum records it. */
    public String sum() {
        return string("Sum");
    }

    /** The {@code h1:} hash of the go.mod, as go.sum records it on the {@code /go.mod} line. */
    public String goModSum() {
        return string("GoModSum");
    }

    /** The cached {@code .info} file. */
    public String info() {
        return string("Info");
    }

    /** The cached {@code .mod} file. */
    public String goMod() {
        return string("GoMod");
    }

    /** The cached {@code .zip} file. */
    public String zip() {
        return string("Zip");
    }

    /** The directory the zip was extracted to. */
    public String dir() {
        return string("Dir");
    }

    private String string(String name) {
        Object value = fields.get(name);
        return value == null ? null : value.toString();
    }
}
