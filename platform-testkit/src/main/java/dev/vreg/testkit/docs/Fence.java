package dev.vreg.testkit.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fenced block of a Markdown file, runnable or not: what {@link RunnableDoc} reads its blocks from, and what a
 * check of a whole documentation tree walks to find the examples nothing runs.
 *
 * @param line       the 1-based line of its opening fence
 * @param language   the first word of the info string ({@code sh}, {@code yaml}, ...), empty when there is none
 * @param marked     whether the info string carries attributes in braces ({@code {run}}, {@code {norun="why"}}, ...)
 * @param attributes those attributes in order, a value-less one ({@code run}) mapped to null; empty when unmarked
 * @param text       the block's content without the fence's indentation, each line ending in a newline
 */
public record Fence(int line, String language, boolean marked, Map<String, String> attributes, String text) {

    private static final Pattern FENCE = Pattern.compile("^(\\s*)(`{3,}|~{3,})\\s*([^`\\s{]*)\\s*(\\{([^}]*)})?\\s*$");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-z]+)(?:=(\"[^\"]*\"|\\S+))?");

    public Fence {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** Every fenced block of {@code markdown}, in order; reports name it by its path. */
    public static List<Fence> read(Path markdown) {
        try {
            return parse(markdown.toString(), Files.readString(markdown));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + markdown, e);
        }
    }

    /**
     * Every fenced block of Markdown text, in order.
     *
     * @throws IllegalArgumentException naming the line of a fence left open or of attributes it cannot read
     */
    public static List<Fence> parse(String name, String markdown) {
        List<Fence> fences = new ArrayList<>();
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
            boolean marked = fence.group(4) != null;
            fences.add(new Fence(opening, fence.group(3), marked,
                    marked ? attributes(name, opening, fence.group(5)) : Map.of(), text.toString()));
        }
        return fences;
    }

    /** The reason of a {@code {norun="why"}} block, blank when it gives none; null when the block is not one. */
    public String norun() {
        if (!attributes.containsKey("norun")) {
            return null;
        }
        String reason = attributes.get("norun");
        return reason == null ? "" : reason;
    }

    /** {@code FILE:LINE} as reports name it. */
    public String where(String file) {
        return file + ":" + line;
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
}
