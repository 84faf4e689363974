package dev.vreg.go.info;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InfoJsonTest {

    @Test
    void readsVersionAndTime() throws Exception {
        InfoJson.Info info = parse("{\"Version\":\"v1.2.3\",\"Time\":\"2023-01-02T03:04:05Z\","
                + "\"Origin\":{\"VCS\":\"git\",\"Hash\":\"abc\"},\"Extra\":[1,2,{\"a\":null}]}");
        assertThat(info).isEqualTo(new InfoJson.Info("v1.2.3", "2023-01-02T03:04:05Z"));
    }

    @Test
    void matchesKeysCaseInsensitivelyAndTheLastOneWins() throws Exception {
        assertThat(parse("{\"version\":\"v1.0.0\"}").version()).isEqualTo("v1.0.0");
        assertThat(parse("{\"VERSION\":\"v1.0.0\",\"Version\":\"v2.0.0\"}").version()).isEqualTo("v2.0.0");
        assertThat(parse("{\"Version\":\"v1.0.0\",\"version\":\"v3.0.0\"}").version()).isEqualTo("v3.0.0");
    }

    @Test
    void nullMeansAbsent() throws Exception {
        assertThat(parse("{\"Version\":\"v1.0.0\",\"Time\":null}")).isEqualTo(new InfoJson.Info("v1.0.0", null));
        assertThat(parse("{\"Version\":\"v1.0.0\",\"Version\":null}").version()).isEqualTo("v1.0.0");
        assertThat(parse(" {} \n")).isEqualTo(new InfoJson.Info(null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "null", "[]", "\"v1.0.0\"", "{", "{\"Version\":\"v1.0.0\"} x", "{} {}", "{\"Version\":1}",
        "{\"Version\":\"v1.0.0\",\"Time\":\"\"}", "{\"Version\":\"v1.0.0\",\"Time\":\"2023-01-02\"}",
        "{\"Version\":\"v1.0.0\",\"Time\":0}", "{'Version':'v1.0.0'}", "{\"Version\":\"v1.0.0\",}",
        "{\"Version\":\"v1.0.0\" /* c */}", "{\"a\":01}", "\uFEFF{}",
    })
    void rejectsWhatTheGoCommandCannotRead(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(InfoJson.InvalidInfoException.class);
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'};
        assertThatThrownBy(() -> InfoJson.parse(body)).isInstanceOf(InfoJson.InvalidInfoException.class);
    }

    private static InfoJson.Info parse(String body) throws InfoJson.InvalidInfoException {
        return InfoJson.parse(body.getBytes(UTF_8));
    }
}
