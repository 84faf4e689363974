package dev.vreg.go;

import java.util.Arrays;

/** The kinds of file a GOPROXY serves for a module, by their {@code ArtifactRef.file} names. */
public enum GoFile {
    /** {@code <module>/@v/list}: the known tagged versions, one a line. */
    LIST("list", "text/plain; charset=utf-8"),
    /** {@code <module>/@latest}: the info of the version to use when the list has none. */
    LATEST("latest", "application/json"),
    /** {@code <module>/@v/<version>.info}: JSON with {@code Version} and {@code Time}. */
    INFO("info", "application/json"),
    /** {@code <module>/@v/<version>.mod}: the go.mod file of the version. */
    MOD("mod", "text/plain; charset=utf-8"),
    /** {@code <module>/@v/<version>.zip}: the module's files. */
    ZIP("zip", "application/zip");

    private final String fileName;
    private final String contentType;

    GoFile(String fileName, String contentType) {
        this.fileName = fileName;
        this.contentType = contentType;
    }

    /** The name used in {@code ArtifactRef.file} and, for versioned files, as the URL extension. */
    public String fileName() {
        return fileName;
    }

    /** The Content-Type the go command's reference proxies serve the file with. */
    public String contentType() {
        return contentType;
    }

    /** The kind named {@code fileName}; throws {@link IllegalArgumentException} for any other name. */
    public static GoFile of(String fileName) {
        return Arrays.stream(values())
                .filter(f -> f.fileName.equals(fileName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a Go module file: " + fileName));
    }
}
