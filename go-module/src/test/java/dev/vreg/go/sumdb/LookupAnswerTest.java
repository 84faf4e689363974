package dev.vreg.go.sumdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The lookup body as golang.org/x/mod/sumdb/tlog's {@code FormatRecord} writes it, followed by the signed note. */
class LookupAnswerTest {

    static final String RECORD = "example.com/a v1.0.0 h1:zip=\nexample.com/a v1.0.0/go.mod h1:mod=\n";
    static final String NOTE = "go.sum database tree\n5\nhash\n\n— sum.example sig\n";

    @Test
    void splitsIdRecordAndNote() throws Exception {
        LookupAnswer answer = LookupAnswer.parse(("42\n" + RECORD + "\n" + NOTE).getBytes(StandardCharsets.UTF_8));
        assertThat(answer.id()).isEqualTo(42);
        assertThat(new String(answer.record(), StandardCharsets.UTF_8)).isEqualTo(RECORD);
        assertThat(new String(answer.signedTree(), StandardCharsets.UTF_8)).isEqualTo(NOTE);
        assertThat(answer.hashOf("example.com/a", "v1.0.0", false)).contains("h1:zip=");
        assertThat(answer.hashOf("example.com/a", "v1.0.0", true)).contains("h1:mod=");
        assertThat(answer.hashOf("example.com/a", "v1.0.1", false)).isEmpty();
        assertThat(answer.hashOf("example.com", "v1.0.0", false)).isEmpty();
    }

    @Test
    void refusesMalformedRecords() {
        for (String bad : new String[] {"42" + RECORD, "x\n" + RECORD + "\n" + NOTE, "42\n" + RECORD,
            "42\nexample.com/a v1.0.0\th1:x=\n\n" + NOTE, "42\nno newline at the end\n"}) {
            assertThatThrownBy(() -> LookupAnswer.parse(bad.getBytes(StandardCharsets.UTF_8))).as(bad)
                    .isInstanceOf(SumdbException.class);
        }
    }
}
