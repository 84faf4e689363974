package dev.vreg.go.zip;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Which offered files go into a module zip ({@code zip.CheckedFiles}).
 *
 * @param valid     the paths of the files the zip contains, in the order offered
 * @param omitted   files left out by rule: nested modules, vendored packages, VCS directories, links, ...
 * @param invalid   files that make the zip impossible: unclean or malformed paths, collisions, oversized go.mod
 * @param sizeError why the files together are too large, or null
 */
public record CheckedFiles(List<String> valid, List<FileError> omitted, List<FileError> invalid,
                           String sizeError) {

    public CheckedFiles {
        valid = List.copyOf(valid);
        omitted = List.copyOf(omitted);
        invalid = List.copyOf(invalid);
    }

    /** Why no zip can be made of these files ({@code CheckedFiles.Err}), or null when one can. */
    public String problem() {
        if (!invalid.isEmpty()) {
            return invalid.stream().map(FileError::toString).collect(Collectors.joining("\n"));
        }
        return sizeError;
    }
}
