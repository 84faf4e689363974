package dev.vreg.go.module;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The module path a go.mod declares, read the way {@code modfile.ParseLax} reads the go.mod of a dependency: the same
 * tokens ({@code //} comments to the end of the line, {@code "quoted"} and {@code `raw`} strings, punctuation, every
 * other run of printable characters an identifier), the same statements and blocks ({@code module ( path )} over
 * three lines is a module directive, as modfile accepts it), and the same refusals: any syntax error in the file, and
 * for the module directive a repeated one, one that has not exactly one argument, or an argument that is not a valid
 * quoted or unquoted string. Other directives are not checked.
 */
public final class ModuleDirective {

    private final byte[] text;
    private final ModFileLexer lexer;
    private String path;
    private boolean found;

    private ModuleDirective(byte[] text) {
        this.text = text;
        this.lexer = new ModFileLexer(text);
    }

    /**
     * The path of the module directive of {@code goMod}, or empty when it has none.
     *
     * @throws ModuleException with modfile's message (prefixed {@code go.mod:<line>:}) when modfile would refuse
     *                         the file
     */
    public static Optional<String> declaredPath(byte[] goMod) {
        ModuleDirective file = new ModuleDirective(goMod);
        file.parseFile();
        return Optional.ofNullable(file.path);
    }

    /** A statement: its line, the number of tokens, and their text when it may be a module directive. */
    private record Statement(int line, int count, List<String> tokens) {
    }

    private void parseFile() {
        while (true) {
            int kind = lexer.peek();
            if (kind == ModFileLexer.EOF) {
                return;
            }
            if (kind == '\n' || kind == ModFileLexer.COMMENT) {
                lexer.lex();
            } else {
                parseStatement();
            }
        }
    }

    private void parseStatement() {
        ModFileLexer.Token first = lexer.lex();
        Collector tokens = new Collector(first.is(text, "module"));
        tokens.add(first);
        while (true) {
            ModFileLexer.Token token = lexer.lex();
            if (ModFileLexer.isEol(token.kind())) {
                Statement line = tokens.statement(first.line());
                if (isModuleVerb(line)) {
                    module(line.line(), line.tokens().subList(1, line.tokens().size()), line.count() - 1);
                }
                return;
            }
            if (token.kind() == '(') {
                int next = lexer.peek();
                if (ModFileLexer.isEol(next)) {
                    parseBlock(first.line(), tokens.statement(first.line()));
                    return;
                }
                if (next == ')') {
                    ModFileLexer.Token close = lexer.lex();
                    if (ModFileLexer.isEol(lexer.peek())) {
                        lexer.lex();
                        return;
                    }
                    tokens.add(token);
                    tokens.add(close);
                    continue;
                }
            }
            tokens.add(token);
        }
    }

    private void parseBlock(int start, Statement verb) {
        boolean moduleBlock = verb.count() == 1 && verb.tokens().get(0).equals("module");
        while (true) {
            int kind = lexer.peek();
            if (kind == ModFileLexer.EOLCOMMENT || kind == '\n' || kind == ModFileLexer.COMMENT) {
                lexer.lex();
            } else if (kind == ModFileLexer.EOF) {
                throw lexer.error("syntax error (unterminated block started at go.mod:" + start + ")");
            } else if (kind == ')') {
                lexer.lex();
                if (!ModFileLexer.isEol(lexer.peek())) {
                    throw lexer.error("syntax error (expected newline after closing paren)");
                }
                lexer.lex();
                return;
            } else {
                ModFileLexer.Token first = lexer.lex();
                Collector tokens = new Collector(moduleBlock);
                tokens.add(first);
                for (ModFileLexer.Token token = lexer.lex(); !ModFileLexer.isEol(token.kind()); token = lexer.lex()) {
                    tokens.add(token);
                }
                if (moduleBlock) {
                    Statement line = tokens.statement(first.line());
                    module(line.line(), line.tokens(), line.count());
                }
            }
        }
    }

    private static boolean isModuleVerb(Statement line) {
        return !line.tokens().isEmpty() && line.tokens().get(0).equals("module");
    }

    private void module(int line, List<String> args, int count) {
        if (found) {
            throw new ModuleException("go.mod:" + line + ": repeated module statement");
        }
        found = true;
        if (count != 1) {
            throw new ModuleException("go.mod:" + line + ": usage: module module/path");
        }
        String arg = args.get(0);
        if (arg.startsWith("\"")) {
            path = unquote(arg.getBytes(StandardCharsets.ISO_8859_1), line);
        } else if (arg.chars().anyMatch(c -> c == '"' || c == '\'' || c == '`')) {
            throw new ModuleException("go.mod:" + line + ": invalid quoted string: unquoted string cannot contain "
                    + "quote");
        } else {
            path = new String(arg.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }
    }

    /**
     * Gathers a statement's tokens. Only a module directive keeps their text (the first few, as much as it can use),
     * other statements only their first token, so a hostile file of many tokens costs no memory.
     */
    private final class Collector {
        private final boolean keep;
        private final List<String> tokens = new ArrayList<>();
        private int count;

        Collector(boolean keep) {
            this.keep = keep;
        }

        void add(ModFileLexer.Token token) {
            count++;
            if ((keep || tokens.isEmpty()) && tokens.size() < 3) {
                // Bytes as Latin-1 chars, so invalid UTF-8 survives until the path is decoded.
                tokens.add(new String(text, token.start(), Math.min(token.end() - token.start(), 1 << 16),
                        StandardCharsets.ISO_8859_1));
            }
        }

        Statement statement(int line) {
            return new Statement(line, count, tokens);
        }
    }

    /** Go's {@code strconv.Unquote} of a double-quoted string, decoded as UTF-8. */
    static String unquote(byte[] quoted, int line) {
        ModuleException invalid = new ModuleException("go.mod:" + line + ": invalid quoted string: invalid syntax");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 1;
        while (i < quoted.length && quoted[i] != '"') {
            int c = quoted[i] & 0xff;
            if (c == '\n') {
                throw invalid;
            }
            if (c >= 0x80) {
                // As Go appends what DecodeRune answers: a broken sequence becomes one U+FFFD per byte.
                long decoded = Utf8.decode(quoted, i);
                int size = Utf8.size(decoded);
                if (Utf8.rune(decoded) == Utf8.RUNE_ERROR && size == 1) {
                    out.writeBytes(Utf8.RUNE_ERROR_BYTES);
                } else {
                    out.write(quoted, i, size);
                }
                i += size;
                continue;
            }
            if (c != '\\') {
                out.write(c);
                i++;
                continue;
            }
            if (i + 1 >= quoted.length) {
                throw invalid;
            }
            int e = quoted[i + 1];
            i += 2;
            switch (e) {
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'n' -> out.write(10);
                case 'r' -> out.write(13);
                case 't' -> out.write(9);
                case 'v' -> out.write(11);
                case '\\' -> out.write('\\');
                case '"' -> out.write('"');
                case 'x', 'u', 'U' -> {
                    int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + n > quoted.length) {
                        throw invalid;
                    }
                    long v = 0;
                    for (int j = 0; j < n; j++) {
                        int x = Character.digit(quoted[i + j], 16);
                        if (x < 0) {
                            throw invalid;
                        }
                        v = v << 4 | x;
                    }
                    i += n;
                    if (e == 'x') {
                        out.write((int) v);
                    } else if (v > 0x10FFFF || v >= 0xD800 && v <= 0xDFFF) {
                        throw invalid;
                    } else {
                        byte[] encoded = new String(Character.toChars((int) v)).getBytes(StandardCharsets.UTF_8);
                        out.write(encoded, 0, encoded.length);
                    }
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    if (i + 2 > quoted.length) {
                        throw invalid;
                    }
                    int v = e - '0';
                    for (int j = 0; j < 2; j++) {
                        int x = quoted[i + j] - '0';
                        if (x < 0 || x > 7) {
                            throw invalid;
                        }
                        v = v << 3 | x;
                    }
                    i += 2;
                    if (v > 255) {
                        throw invalid;
                    }
                    out.write(v);
                }
                default -> throw invalid;
            }
        }
        if (i != quoted.length - 1) {
            throw invalid;
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
