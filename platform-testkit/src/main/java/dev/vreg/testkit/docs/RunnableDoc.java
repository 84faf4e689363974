package dev.vreg.testkit.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runnable blocks of a Markdown file, in order. Fenced blocks whose info string carries attributes in braces
 * are runnable; every other block is prose and ignored. See the package description for the markers.
 */
public final class RunnableDoc {

    private final String name;
    private final List<DocBlock> blocks;

    private RunnableDoc(String name, List<DocBlock> blocks) {
        this.name = name;
        this.blocks = List.copyOf(blocks);
    }

    /** Reads {@code markdown}; reports name it by its path. */
    public static RunnableDoc read(Path markdown) {
        try {
            return parse(markdown.toString(), Files.readString(markdown));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + markdown, e);
        }
    }

    /**
     * Parses Markdown text.
     *
     * @throws IllegalArgumentException naming the line of a block with unknown attributes, an {@code {output}}
     *                                  block that follows no {@code {run}} block, or a fence left open
     */
    public static RunnableDoc parse(String name, String markdown) {
        List<DocBlock> blocks = new ArrayList<>();
        for (Fence fence : Fence.parse(name, markdown)) {
            if (!fence.marked()) {
                continue;
            }
            int opening = fence.line();
            Map<String, String> attributes = fence.attributes();
            String language = fence.language();
            String text = fence.text();
            if (attributes.containsKey("norun")) {
                expectNo(name, opening, attributes, "norun");
                if (fence.norun().isBlank()) {
                    throw new IllegalArgumentException(name + ":" + opening + ": {norun=\"WHY\"} needs a reason");
                }
                continue;
            }
            if (attributes.containsKey("output")) {
                expectNo(name, opening, attributes, "output");
                DocBlock previous = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
                if (previous == null || previous.kind() == DocBlock.Kind.FILE || previous.expected() != null) {
                    throw new IllegalArgumentException(name + ":" + opening
                            + ": an {output} block must follow a {run} or {run fails} block");
                }
                blocks.set(blocks.size() - 1, previous.withExpected(text));
            } else if (attributes.containsKey("run")) {
                expectNo(name, opening, attributes, "run", "fails");
                DocBlock.Kind kind = attributes.containsKey("fails") ? DocBlock.Kind.RUN_FAILS : DocBlock.Kind.RUN;
                blocks.add(new DocBlock(opening, kind, language, text, null, null, null));
            } else if (attributes.containsKey("file")) {
                expectNo(name, opening, attributes, "file", "mode");
                String path = attributes.get("file");
                String mode = attributes.get("mode");
                if (path == null || path.isEmpty()) {
                    throw new IllegalArgumentException(name + ":" + opening + ": {file=PATH} needs a path");
                }
                if (mode != null && !mode.matches("[0-7]{3}")) {
                    throw new IllegalArgumentException(name + ":" + opening + ": mode must be three octal digits, "
                            + "got " + mode);
                }
                blocks.add(new DocBlock(opening, DocBlock.Kind.FILE, language, text, path, mode, null));
            } else {
                throw new IllegalArgumentException(name + ":" + opening + ": a block marked {"
                        + String.join(" ", attributes.keySet()) + "} must be {run}, {run fails}, {output}, "
                        + "{file=PATH} or {norun=\"WHY\"}");
            }
        }
        return new RunnableDoc(name, blocks);
    }

    private static void expectNo(String name, int line, Map<String, String> attributes, String... known) {
        for (String attribute : attributes.keySet()) {
            if (!List.of(known).contains(attribute)) {
                throw new IllegalArgumentException(name + ":" + line + ": unknown attribute '" + attribute
                        + "' here (known: " + String.join(", ", known) + ")");
            }
        }
    }

    /** The file's name as reports use it. */
    public String name() {
        return name;
    }

    public List<DocBlock> blocks() {
        return blocks;
    }
}
