package dev.vreg.testkit.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeneratedBodyTest {

    @Test
    void theSameOffsetAlwaysGivesTheSameByte() {
        assertThat(GeneratedBody.chunk(1_000_000, 64)).isEqualTo(GeneratedBody.chunk(1_000_000, 64));
    }

    @Test
    void chunksAreSlicesOfOneSequence() {
        Buffer whole = GeneratedBody.chunk(10, 100);
        assertThat(GeneratedBody.chunk(37, 20)).isEqualTo(whole.getBuffer(27, 47));
        byte[] filled = new byte[30];
        GeneratedBody.fill(50, filled, 5, 25);
        assertThat(Buffer.buffer(filled).getBuffer(5, 30)).isEqualTo(whole.getBuffer(40, 65));
    }

    @Test
    void theSequenceDoesNotRepeatInSmallPeriods() {
        Set<Buffer> blocks = new HashSet<>();
        for (long offset = 0; offset < 64 * 1024; offset += 16) {
            blocks.add(GeneratedBody.chunk(offset, 16));
        }
        assertThat(blocks).hasSize(4096);
    }

    @Test
    void firstMismatchFindsLostRepeatedAndAlteredBytes() {
        assertThat(GeneratedBody.firstMismatch(500, GeneratedBody.chunk(500, 1000))).isEqualTo(-1);
        assertThat(GeneratedBody.firstMismatch(500, GeneratedBody.chunk(501, 1000))).isEqualTo(500);

        Buffer altered = GeneratedBody.chunk(0, 100);
        altered.setByte(42, (byte) (altered.getByte(42) + 1));
        assertThat(GeneratedBody.firstMismatch(0, altered)).isEqualTo(42);
    }
}
