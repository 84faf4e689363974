package dev.vreg.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a format gets without overriding the module hint methods. */
class FormatPluginDefaultsTest {

    private final FormatPlugin format = new FormatPlugin() {
        @Override
        public String id() {
            return "plain";
        }

        @Override
        public ArtifactRef classify(String rawPath) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String contentType(ArtifactRef ref) {
            return "application/octet-stream";
        }

        @Override
        public Buffer merge(ArtifactRef ref, List<MetadataPart> parts) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ContentCheck check(ArtifactRef ref, Path file) {
            return ContentCheck.NONE;
        }

        @Override
        public long maxContentLength(ArtifactRef ref) {
            return 1;
        }
    };

    @Test
    void noHintsAdmitEverything() {
        assertThat(format.matchesHints(List.of(), named("anything/at/all"))).isTrue();
    }

    @Test
    void hintsAreLiteralPrefixesEndingAtASlash() {
        List<String> hints = List.of("example.com/team", "corp/");
        assertThat(format.matchesHints(hints, named("example.com/team"))).isTrue();
        assertThat(format.matchesHints(hints, named("example.com/team/lib"))).isTrue();
        assertThat(format.matchesHints(hints, named("example.com/teamwork"))).isFalse();
        assertThat(format.matchesHints(hints, named("example.com"))).isFalse();
        assertThat(format.matchesHints(hints, named("corp/x"))).isTrue();
        assertThat(format.matchesHints(hints, named("corporate"))).isFalse();
        assertThat(format.matchesHints(hints, named("example.com/*"))).isFalse();
        assertThat(format.matchesHints(List.of(""), named("example.com"))).isFalse();
    }

    @Test
    void everyHintIsAcceptable() {
        assertThat(format.hintProblem("example.com/[")).isEmpty();
    }

    @Test
    void contentIsCheckedAsACompleteFileUnlessTheFormatStreams() {
        assertThat(format.contentChecker(named("example.com"))).isEmpty();
    }

    private static ArtifactRef named(String name) {
        return new ArtifactRef(name + "/file", AssetKind.CONTENT, name, "1", "file");
    }
}
