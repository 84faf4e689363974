package dev.vreg.go.zip;

import static dev.vreg.go.module.GoQuote.quote;

import dev.vreg.go.module.ModulePath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides which offered files go into a module zip, as {@code zip.checkFiles} does: files of nested modules and
 * vendored packages, {@code .hg_archival.txt}, links and other irregular files are omitted; unclean or malformed
 * paths, case-fold collisions, a wrongly spelled or oversized go.mod and an oversized LICENSE make the zip
 * impossible.
 */
final class FileSelection {

    /** One file that goes into the zip, with the size it was offered with. */
    record Selected(ModuleFile file, long size) {
    }

    private final List<Selected> selected = new ArrayList<>();
    private final List<String> valid = new ArrayList<>();
    private final List<FileError> omitted = new ArrayList<>();
    private final List<FileError> invalid = new ArrayList<>();
    private final Set<String> errorPaths = new HashSet<>();
    private String sizeError;

    private FileSelection() {
    }

    static FileSelection of(List<? extends ModuleFile> files, ZipLimits limits) {
        FileSelection s = new FileSelection();
        s.select(files, limits);
        return s;
    }

    List<Selected> selected() {
        return selected;
    }

    CheckedFiles checked() {
        return new CheckedFiles(valid, omitted, invalid, sizeError);
    }

    private void select(List<? extends ModuleFile> files, ZipLimits limits) {
        Map<String, Boolean> haveGoMod = new HashMap<>();
        boolean go124 = false;
        for (ModuleFile f : files) {
            String p = f.path();
            int slash = p.lastIndexOf('/');
            String dir = p.substring(0, slash + 1);
            String base = p.substring(slash + 1);
            if (!base.equalsIgnoreCase("go.mod")) {
                continue;
            }
            ModuleFile.Type type;
            try {
                type = f.type();
            } catch (IOException e) {
                error(p, false, String.valueOf(e.getMessage()));
                continue;
            }
            if (type != ModuleFile.Type.REGULAR) {
                continue;
            }
            haveGoMod.put(dir, true);
            if (base.equals("go.mod") && dir.isEmpty()) {
                go124 = GoDirective.atLeastGo124(readSmall(f, limits.maxGoMod()));
            }
        }

        CollisionChecker collisions = new CollisionChecker();
        long room = limits.maxUncompressed();
        for (ModuleFile f : files) {
            String p = f.path();
            if (!p.equals(clean(p))) {
                error(p, false, "file path is not clean");
                continue;
            }
            if (p.startsWith("/")) {
                error(p, false, "file path is not relative");
                continue;
            }
            if (isVendoredPackage(p, go124)) {
                error(p, true, "file is in vendor directory");
                continue;
            }
            if (inSubmodule(p, haveGoMod)) {
                error(p, true, "file is in another module");
                continue;
            }
            if (p.equals(".hg_archival.txt")) {
                error(p, true, "file is inserted by 'hg archive' and is always omitted");
                continue;
            }
            String reason = ModulePath.filePathError(p);
            if (reason != null) {
                error(p, false, "malformed file path " + quote(p) + ": " + reason);
                continue;
            }
            if (p.toLowerCase(Locale.ROOT).equals("go.mod") && !p.equals("go.mod")) {
                error(p, false, "go.mod files must have lowercase names");
                continue;
            }
            ModuleFile.Type type;
            long size;
            try {
                type = f.type();
                size = type == ModuleFile.Type.REGULAR ? f.size() : 0;
            } catch (IOException e) {
                error(p, false, String.valueOf(e.getMessage()));
                continue;
            }
            reason = collisions.add(p, type == ModuleFile.Type.DIRECTORY);
            if (reason != null) {
                error(p, false, reason);
                continue;
            }
            if (type == ModuleFile.Type.SYMLINK) {
                error(p, true, "file is a symbolic link");
                continue;
            }
            if (type != ModuleFile.Type.REGULAR) {
                error(p, true, "not a regular file");
                continue;
            }
            if (size >= 0 && size <= room) {
                room -= size;
            } else if (sizeError == null) {
                sizeError = "module source tree too large (max size is " + limits.maxUncompressed() + " bytes)";
            }
            if (p.equals("go.mod") && size > limits.maxGoMod()) {
                error(p, false, "go.mod file too large (max size is " + limits.maxGoMod() + " bytes)");
                continue;
            }
            if (p.equals("LICENSE") && size > limits.maxLicense()) {
                error(p, false, "LICENSE file too large (max size is " + limits.maxLicense() + " bytes)");
                continue;
            }
            valid.add(p);
            selected.add(new Selected(f, size));
        }
    }

    private void error(String path, boolean omit, String reason) {
        if (!errorPaths.add(path)) {
            return;
        }
        (omit ? omitted : invalid).add(new FileError(path, reason));
    }

    /**
     * {@code isVendoredPackage}: files in subdirectories of a {@code vendor/} directory are omitted, files directly
     * in it are kept. From go 1.24 on, {@code vendor/modules.txt} is omitted too, and a nested {@code x/vendor/} is
     * measured from its own start (before, a bug measured it from the start of the path).
     */
    static boolean isVendoredPackage(String name, boolean go124) {
        if (go124 && name.equals("vendor/modules.txt")) {
            return true;
        }
        int i;
        int j;
        if (name.startsWith("vendor/")) {
            i = "vendor/".length();
        } else if ((j = name.indexOf("/vendor/")) >= 0) {
            i = go124 ? j + "/vendor/".length() : "/vendor/".length();
        } else {
            return false;
        }
        return name.substring(i).indexOf('/') >= 0;
    }

    private static boolean inSubmodule(String p, Map<String, Boolean> haveGoMod) {
        while (true) {
            int slash = p.lastIndexOf('/');
            if (slash < 0) {
                return false;
            }
            String dir = p.substring(0, slash + 1);
            if (haveGoMod.containsKey(dir)) {
                return true;
            }
            p = p.substring(0, slash);
        }
    }

    /** Go's {@code path.Clean}. */
    static String clean(String p) {
        boolean rooted = p.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String elem : p.split("/", -1)) {
            if (elem.isEmpty() || elem.equals(".")) {
                continue;
            }
            if (elem.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                } else if (!rooted) {
                    out.add("..");
                }
                continue;
            }
            out.add(elem);
        }
        String joined = String.join("/", out);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /** The root go.mod, read only to find its go directive; one too large to be valid counts as having none. */
    private static byte[] readSmall(ModuleFile f, long max) {
        try {
            if (f.size() > max) {
                return new byte[0];
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) f.size());
            f.writeTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
