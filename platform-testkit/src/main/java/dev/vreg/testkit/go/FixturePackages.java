package dev.vreg.testkit.go;

import dev.vreg.go.module.ModulePath;
import java.util.Locale;
import java.util.Set;

/**
 * The Go source of the packages fixture modules contain. Each package has one function, {@code Version()}, which
 * returns {@code <import path>@<module version>}: a consumer that prints it proves which version was compiled in.
 */
final class FixturePackages {

    private static final Set<String> KEYWORDS = Set.of("break", "case", "chan", "const", "continue", "default",
            "defer", "else", "fallthrough", "for", "func", "go", "goto", "if", "import", "interface", "map",
            "package", "range", "return", "select", "struct", "switch", "type", "var");

    private FixturePackages() {
    }

    /** The import path of the package in {@code dir} ({@code ""} for the module root). */
    static String importPath(String modulePath, String dir) {
        return dir.isEmpty() ? modulePath : modulePath + "/" + dir;
    }

    /**
     * A valid Go package name for the package: the last path element without a major suffix, reduced to lower-case
     * letters, digits and underscores, and changed when that leaves a keyword or no name at all.
     */
    static String packageName(String modulePath, String dir) {
        String base = dir.isEmpty() ? ModulePath.splitPathVersion(modulePath).prefix() : dir;
        String element = base.substring(base.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        StringBuilder name = new StringBuilder();
        for (char c : element.toCharArray()) {
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
                name.append(c);
            }
        }
        if (name.length() == 0 || Character.isDigit(name.charAt(0))) {
            name.insert(0, "pkg");
        }
        return KEYWORDS.contains(name.toString()) ? name + "pkg" : name.toString();
    }

    /** The file name of the generated source within the module. */
    static String fileName(String modulePath, String dir) {
        String file = packageName(modulePath, dir) + ".go";
        return dir.isEmpty() ? file : dir + "/" + file;
    }

    /** The generated Go source of the package. */
    static String source(String modulePath, String version, String dir) {
        String name = packageName(modulePath, dir);
        String id = importPath(modulePath, dir) + "@" + version;
        return "// Package " + name + " is a generated test fixture.\n"
                + "package " + name + "\n\n"
                + "// Version reports the package's import path and the module version it was built from.\n"
                + "func Version() string {\n"
                + "\treturn \"" + id + "\"\n"
                + "}\n";
    }
}
