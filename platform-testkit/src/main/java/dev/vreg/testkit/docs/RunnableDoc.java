package dev.vreg.testkit.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable blocks of a Markdown file, in order. Fenced blocks whose info string carries attributes in braces
 * are runnable; every other block is prose and ignored. See the package description for the markers.
 */
public final class RunnableDoc {

    private static final Pattern FENCE = Pattern.compile("^(\\s*)(`{3,}|~{3,})\\s*([^`\\s{]*)\\s*(\\{([^}]*)})?\\s*$");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-z]+)(?:=(\"[^\"]*\"|\\S+))?");

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
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher fence = FENCE.matcher(lines[i]);
            if (!fence.matches()) {
                continue;
            }
            int opening = i + 1;
            String marker = fence.group(2);
            String indent = fence.group(1);
            StringBuilder text = new StringBuilder();
            int j = i + 1;
            while (j < lines.length && !lines[j].strip().startsWith(marker)) {
                String line = lines[j];
                text.append(line.startsWith(indent) ? line.substring(indent.length()) : line.stripLeading())
                        .append('\n');
                j++;
            }
            if (j == lines.length) {
                throw new IllegalArgumentException(name + ":" + opening + ": the fenced block is never closed");
            }
            i = j;
            if (fence.group(4) == null) {
                continue;
            }
            Map<String, String> attributes = attributes(name, opening, fence.group(5));
            String language = fence.group(3);
            if (attributes.containsKey("norun")) {
                expectNo(name, opening, attributes, "norun");
                if (attributes.get("norun") == null || attributes.get("norun").isBlank()) {
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
                blocks.set(blocks.size() - 1, previous.withExpected(text.toString()));
            } else if (attributes.containsKey("run")) {
                expectNo(name, opening, attributes, "run", "fails");
                DocBlock.Kind kind = attributes.containsKey("fails") ? DocBlock.Kind.RUN_FAILS : DocBlock.Kind.RUN;
                blocks.add(new DocBlock(opening, kind, language, text.toString(), null, null, null));
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
                blocks.add(new DocBlock(opening, DocBlock.Kind.FILE, language, text.toString(), path, mode, null));
            } else {
                throw new IllegalArgumentException(name + ":" + opening + ": a block marked {" + fence.group(5)
                        + "} must be {run}, {run fails}, {output}, {file=PATH} or {norun=\"WHY\"}");
            }
        }
        return new RunnableDoc(name, blocks);
    }

    private static Map<String, String> attributes(String name, int line, String text) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher matcher = ATTRIBUTE.matcher(text.strip());
        int end = 0;
        while (matcher.find()) {
            if (!text.strip().substring(end, matcher.start()).isBlank()) {
                break;
            }
            String value = matcher.group(2);
            attributes.put(matcher.group(1), value != null && value.startsWith("\"")
                    ? value.substring(1, value.length() - 1) : value);
            end = matcher.end();
        }
        if (!text.strip().substring(end).isBlank()) {
            throw new IllegalArgumentException(name + ":" + line + ": cannot read the attributes {" + text + "}");
        }
        return attributes;
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
