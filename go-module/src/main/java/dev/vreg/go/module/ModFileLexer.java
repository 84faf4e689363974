package dev.vreg.go.module;

/**
 * The tokens of a go.mod file as {@code modfile}'s lexer ({@code read.go}) reads them: spaces, tabs and carriage
 * returns separate tokens; a {@code //} comment runs to the end of its line and is whole-line or end-of-line; newlines
 * and {@code ( ) [ ] { } ,} are tokens of their own; {@code "..."} (with backslash escapes) and {@code `...`} are
 * strings that may not span lines; any other run of printable characters is an identifier. {@code /*} comments and
 * other characters are errors. Bytes that are not UTF-8 read as U+FFFD, which is printable.
 */
final class ModFileLexer {

    static final int EOF = -1;
    static final int EOLCOMMENT = -2;
    static final int IDENT = -3;
    static final int STRING = -4;
    static final int COMMENT = -5;

    /** One token: its kind (one of the constants, or the punctuation character), its bytes and its line. */
    record Token(int kind, int start, int end, int line) {
        boolean is(byte[] text, String word) {
            if (end - start != word.length()) {
                return false;
            }
            for (int i = 0; i < word.length(); i++) {
                if (text[start + i] != word.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final byte[] text;
    private int pos;
    private int line = 1;
    private int lineRune = 1;
    private Token next;

    ModFileLexer(byte[] text) {
        this.text = text;
        this.next = read();
    }

    static boolean isEol(int kind) {
        return kind == EOF || kind == EOLCOMMENT || kind == '\n';
    }

    int peek() {
        return next.kind();
    }

    Token lex() {
        Token token = next;
        next = read();
        return token;
    }

    ModuleException error(String message) {
        return error(line, lineRune, message);
    }

    private static ModuleException error(int line, int column, String message) {
        return new ModuleException("go.mod:" + line + (column > 1 ? ":" + column : "") + ": " + message);
    }

    private Token read() {
        while (pos < text.length) {
            int c = text[pos];
            if (c == ' ' || c == '\t' || c == '\r') {
                advance();
                continue;
            }
            if (startsWith("//")) {
                int start = pos;
                int startLine = line;
                boolean suffix = false;
                for (int i = pos - 1; i >= 0 && text[i] != '\n'; i--) {
                    if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r') {
                        suffix = true;
                        break;
                    }
                }
                while (pos < text.length && advance() != '\n') {
                    // The comment runs to the end of the line, the newline included.
                }
                return new Token(suffix ? EOLCOMMENT : COMMENT, start, pos, startLine);
            }
            if (startsWith("/*")) {
                throw error("mod files must use // comments (not /* */ comments)");
            }
            break;
        }
        int start = pos;
        int startLine = line;
        int startColumn = lineRune;
        if (pos >= text.length) {
            return new Token(EOF, start, pos, startLine);
        }
        int c = text[pos];
        switch (c) {
            case '\n', '(', ')', '[', ']', '{', '}', ',' -> {
                advance();
                return new Token(c, start, pos, startLine);
            }
            case '"', '`' -> {
                advance();
                while (true) {
                    if (pos >= text.length) {
                        throw error(startLine, startColumn, "unexpected EOF in string");
                    }
                    if (text[pos] == '\n') {
                        throw error("unexpected newline in string");
                    }
                    int r = advance();
                    if (r == c) {
                        break;
                    }
                    if (r == '\\' && c != '`') {
                        if (pos >= text.length) {
                            throw error(startLine, startColumn, "unexpected EOF in string");
                        }
                        advance();
                    }
                }
                return new Token(STRING, start, pos, startLine);
            }
            default -> {
                int r = Utf8.rune(Utf8.decode(text, pos));
                if (!isIdent(r)) {
                    throw error("unexpected input character " + GoQuote.quoteRune(r));
                }
                while (pos < text.length && isIdent(Utf8.rune(Utf8.decode(text, pos)))) {
                    if (startsWith("//")) {
                        break;
                    }
                    if (startsWith("/*")) {
                        throw error("mod files must use // comments (not /* */ comments)");
                    }
                    advance();
                }
                return new Token(IDENT, start, pos, startLine);
            }
        }
    }

    private boolean startsWith(String prefix) {
        if (pos + prefix.length() > text.length) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text[pos + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Consumes one rune and answers it. */
    private int advance() {
        long decoded = Utf8.decode(text, pos);
        int r = Utf8.rune(decoded);
        pos += Utf8.size(decoded);
        if (r == '\n') {
            line++;
            lineRune = 1;
        } else {
            lineRune++;
        }
        return r;
    }

    /** modfile's {@code isIdent}: printable, not a space, not punctuation. */
    static boolean isIdent(int r) {
        return switch (r) {
            case ' ', '(', ')', '[', ']', '{', '}', ',' -> false;
            default -> isPrint(r);
        };
    }

    /**
     * Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space; no other
     * space, no control or format character.
     */
    private static boolean isPrint(int r) {
        if (r < 0x100) {
            return r >= 0x20 && r <= 0x7E || r >= 0xA1 && r != 0xAD;
        }
        return switch (Character.getType(r)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                 Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                 Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
                 Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION,
                 Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                 Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }
}
