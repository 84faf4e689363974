package dev.vreg.go.module;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code retract} directives of a go.mod, read as {@code modfile.ParseLax} reads the go.mod of a dependency's
 * latest version: {@code retract v1.0.0}, {@code retract [v1.0.0, v1.2.0]} and the block form
 * {@code retract ( ... )}. A version may be quoted, and is kept as written, as lax parsing keeps it: {@code v1.2}
 * covers {@code v1.2.0}, and a word that is no version ({@code latest}) sorts below every version, as in
 * {@code semver.Compare}. A directive whose interval does not parse is skipped, as lax parsing skips it, while a
 * syntax error of the file refuses the whole file. The rationale is the directive's comments, as
 * {@code parseDirectiveComment} gathers them: the whole-line comments right above it and the comment after it on its
 * line, each without {@code //} and trimmed, one a line; a directive in a block that has neither takes the comments
 * right above the block.
 */
public final class Retractions {

    /** The versions {@code low} to {@code high}, both included, with the publisher's rationale (possibly empty). */
    public record Retraction(String low, String high, String rationale) {

        /** Reports whether {@code version} lies in the interval, in semantic version order. */
        public boolean covers(String version) {
            return Semver.compare(low, version) <= 0 && Semver.compare(version, high) <= 0;
        }
    }

    /** A comment as modfile keeps it: its text with {@code //}, or {@code null} for a blank line in a block. */
    private record Comment(String text) {
    }

    private final byte[] text;
    private final ModFileLexer lexer;
    private final List<Retraction> found = new ArrayList<>();
    private final List<Retraction> all;

    private Retractions(byte[] text) {
        this.text = text;
        this.lexer = new ModFileLexer(text);
        parseFile();
        this.all = List.copyOf(found);
    }

    /**
     * The retractions of {@code goMod}, in the order the file gives them.
     *
     * @throws ModuleException with modfile's message (prefixed {@code go.mod:<line>:}) when the file has a syntax
     *                         error
     */
    public static Retractions read(byte[] goMod) {
        return new Retractions(goMod);
    }

    public List<Retraction> all() {
        return all;
    }

    /** The retractions that cover {@code version}; it is retracted when there is any. */
    public List<Retraction> covering(String version) {
        return all.stream().filter(r -> r.covers(version)).toList();
    }

    /** The non-empty rationales of the retractions covering {@code version}, as the go command collects them. */
    public List<String> rationales(String version) {
        return covering(version).stream().map(Retraction::rationale).filter(r -> !r.isEmpty())
                .collect(Collectors.toList());
    }

    private void parseFile() {
        List<Comment> before = new ArrayList<>();
        while (true) {
            int kind = lexer.peek();
            if (kind == ModFileLexer.EOF) {
                return;
            }
            if (kind == '\n') {
                lexer.lex();
                before = new ArrayList<>();
            } else if (kind == ModFileLexer.COMMENT) {
                before.add(new Comment(token(lexer.lex())));
            } else {
                parseStatement(before);
                before = new ArrayList<>();
            }
        }
    }

    private void parseStatement(List<Comment> before) {
        ModFileLexer.Token first = lexer.lex();
        List<String> tokens = new ArrayList<>();
        tokens.add(token(first));
        while (true) {
            ModFileLexer.Token token = lexer.lex();
            if (ModFileLexer.isEol(token.kind())) {
                line(tokens, before, suffix(token), null);
                return;
            }
            if (token.kind() == '(') {
                int next = lexer.peek();
                if (ModFileLexer.isEol(next)) {
                    parseBlock(first.line(), tokens, before);
                    return;
                }
                if (next == ')') {
                    ModFileLexer.Token close = lexer.lex();
                    if (ModFileLexer.isEol(lexer.peek())) {
                        lexer.lex();
                        return;
                    }
                    tokens.add("(");
                    tokens.add(")");
                    continue;
                }
            }
            tokens.add(token(token));
        }
    }

    private void parseBlock(int start, List<String> verb, List<Comment> blockBefore) {
        boolean retractBlock = verb.size() == 1 && verb.get(0).equals("retract");
        // The comment after "(" belongs to the parenthesis, not to the block, in modfile's syntax tree.
        if (lexer.peek() == ModFileLexer.EOLCOMMENT || lexer.peek() == '\n') {
            lexer.lex();
        }
        List<Comment> comments = new ArrayList<>();
        int lines = 0;
        List<Pending> pending = new ArrayList<>();
        while (true) {
            int kind = lexer.peek();
            if (kind == ModFileLexer.EOLCOMMENT) {
                lexer.lex();
            } else if (kind == '\n') {
                lexer.lex();
                if (comments.isEmpty() && lines > 0 || !comments.isEmpty() && comments.get(comments.size() - 1).text != null) {
                    comments.add(new Comment(null));
                }
            } else if (kind == ModFileLexer.COMMENT) {
                comments.add(new Comment(token(lexer.lex())));
            } else if (kind == ModFileLexer.EOF) {
                throw lexer.error("syntax error (unterminated block started at go.mod:" + start + ")");
            } else if (kind == ')') {
                lexer.lex();
                if (!ModFileLexer.isEol(lexer.peek())) {
                    throw lexer.error("syntax error (expected newline after closing paren)");
                }
                lexer.lex();
                if (retractBlock) {
                    pending.forEach(p -> line(p.tokens, p.before, p.suffix, blockBefore));
                }
                return;
            } else {
                List<String> tokens = new ArrayList<>(verb.subList(0, 1));
                String suffix = null;
                for (ModFileLexer.Token token = lexer.lex(); ; token = lexer.lex()) {
                    if (ModFileLexer.isEol(token.kind())) {
                        suffix = suffix(token);
                        break;
                    }
                    tokens.add(token(token));
                }
                lines++;
                pending.add(new Pending(tokens, comments, suffix));
                comments = new ArrayList<>();
            }
        }
    }

    /** A line of a block, read once the block's closing comment is known. */
    private record Pending(List<String> tokens, List<Comment> before, String suffix) {
    }

    /** A retract directive's version or interval; anything else, or what does not parse, is skipped. */
    private void line(List<String> tokens, List<Comment> before, String suffix, List<Comment> block) {
        if (!tokens.get(0).equals("retract")) {
            return;
        }
        List<String> args = tokens.subList(1, tokens.size());
        String low;
        String high;
        if (args.isEmpty() || args.get(0).equals("(")) {
            return;
        }
        if (!args.get(0).equals("[")) {
            low = version(args.get(0));
            high = low;
        } else {
            if (args.size() < 5 || !args.get(2).equals(",") || !args.get(4).equals("]")) {
                return;
            }
            low = version(args.get(1));
            high = version(args.get(3));
        }
        if (low == null || high == null) {
            return;
        }
        List<Comment> comments = new ArrayList<>(before);
        if (suffix != null) {
            comments.add(new Comment(suffix));
        }
        if (block != null && comments.isEmpty()) {
            comments = block;
        }
        found.add(new Retraction(low, high, rationale(comments)));
    }

    private static String rationale(List<Comment> comments) {
        List<String> lines = new ArrayList<>();
        for (Comment c : comments) {
            if (c.text != null && c.text.startsWith("//")) {
                lines.add(c.text.substring(2).strip());
            }
        }
        return String.join("\n", lines);
    }

    /** modfile's {@code parseString}, or {@code null} when it fails. */
    private static String version(String token) {
        if (token.startsWith("\"")) {
            try {
                return ModuleDirective.unquote(token.getBytes(StandardCharsets.UTF_8), 0);
            } catch (ModuleException e) {
                return null;
            }
        }
        return token.chars().anyMatch(c -> c == '"' || c == '\'' || c == '`') ? null : token;
    }

    private String suffix(ModFileLexer.Token token) {
        return token.kind() == ModFileLexer.EOLCOMMENT ? token(token) : null;
    }

    private String token(ModFileLexer.Token token) {
        return new String(text, token.start(), token.end() - token.start(), StandardCharsets.UTF_8);
    }
}
