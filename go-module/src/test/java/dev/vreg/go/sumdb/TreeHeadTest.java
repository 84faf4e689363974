package dev.vreg.go.sumdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class TreeHeadTest {

    static final String HASH = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void readsSizeAndHash() throws Exception {
        TreeHead tree = TreeHead.parse("go.sum database tree\n12345\n" + HASH + "\n");
        assertThat(tree.size()).isEqualTo(12345);
        assertThat(tree.hashBase64()).isEqualTo(HASH);
    }

    @Test
    void ignoresLinesAfterTheThird() throws Exception {
        assertThat(TreeHead.parse("go.sum database tree\n7\n" + HASH + "\nextension line\n").size()).isEqualTo(7);
    }

    @Test
    void refusesAnythingElse() {
        for (String bad : new String[] {"go.sum database tree\n12\n" + HASH, "go.sum database tree\n+12\n" + HASH + "\n",
            "go.sum database tree\n012\n" + HASH + "\n", "go.sum database tree\n-1\n" + HASH + "\n",
            "go.sum tree\n12\n" + HASH + "\n", "go.sum database tree\n12\nAAAA\n",
            "go.sum database tree\n12\n" + HASH + "!\n"}) {
            assertThatThrownBy(() -> TreeHead.parse(bad)).as(bad).isInstanceOf(SumdbException.class);
        }
    }
}
