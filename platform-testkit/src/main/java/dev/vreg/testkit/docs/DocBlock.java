package dev.vreg.testkit.docs;

import java.util.Objects;

/**
 * One runnable fenced block of a Markdown file.
 *
 * @param line     the 1-based line of its opening fence, for reports
 * @param kind     what the runner does with it
 * @param language the fence's language ({@code sh}, {@code text}, ...)
 * @param text     the block's content, each line ending in a newline
 * @param path     {@link Kind#FILE}: the file to write, relative to the session directory unless absolute
 * @param mode     {@link Kind#FILE}: its permissions as octal digits ({@code 600}), or null for the default
 * @param expected {@link Kind#RUN} and {@link Kind#RUN_FAILS}: the output the following {@code {output}} block
 *                 expects, or null when none follows
 */
public record DocBlock(int line, Kind kind, String language, String text, String path, String mode,
                       String expected) {

    /** What a block marked runnable is. */
    public enum Kind {
        /** {@code {run}}: shell commands that must succeed. */
        RUN,
        /** {@code {run fails}}: shell commands whose last one must fail. */
        RUN_FAILS,
        /** {@code {file=PATH mode=600}}: a file written before the next blocks run. */
        FILE
    }

    public DocBlock {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }

    DocBlock withExpected(String output) {
        return new DocBlock(line, kind, language, text, path, mode, output);
    }

    /** {@code FILE:LINE} as reports name it. */
    public String where(String file) {
        return file + ":" + line;
    }
}
