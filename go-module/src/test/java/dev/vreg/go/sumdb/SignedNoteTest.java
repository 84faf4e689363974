package dev.vreg.go.sumdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Notes signed here with Ed25519 the way golang.org/x/mod/sumdb/note's {@code Sign} writes them. */
class SignedNoteTest {

    static final String TEXT = "go.sum database tree\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    static KeyPair pair;
    static VerifierKey key;

    @BeforeAll
    static void keys() throws Exception {
        pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] encoded = pair.getPublic().getEncoded();
        byte[] pub = new byte[33];
        pub[0] = 1;
        System.arraycopy(encoded, encoded.length - 32, pub, 1, 32);
        key = VerifierKey.parse("sum.example+" + String.format("%08x", VerifierKey.keyHash("sum.example", pub)) + "+"
                + Base64.getEncoder().encodeToString(pub));
    }

    static String signature(String name, int hash, String text) throws Exception {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(pair.getPrivate());
        signer.update(text.getBytes(StandardCharsets.UTF_8));
        byte[] sig = signer.sign();
        byte[] all = ByteBuffer.allocate(4 + sig.length).putInt(hash).put(sig).array();
        return "— " + name + " " + Base64.getEncoder().encodeToString(all) + "\n";
    }

    static byte[] note(String text, String... signatures) {
        return (text + "\n" + String.join("", signatures)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void opensANoteSignedByTheKey() throws Exception {
        SignedNote note = SignedNote.open(note(TEXT, signature("sum.example", key.hash(), TEXT)), key);
        assertThat(note.text()).isEqualTo(TEXT);
    }

    @Test
    void ignoresSignaturesOfOtherKeys() throws Exception {
        String other = "— other.example " + Base64.getEncoder().encodeToString(new byte[68]) + "\n";
        assertThat(SignedNote.open(note(TEXT, other, signature("sum.example", key.hash(), TEXT)), key).text())
                .isEqualTo(TEXT);
        assertThatThrownBy(() -> SignedNote.open(note(TEXT, other), key))
                .hasMessageContaining("no verifiable signature by sum.example");
        // The right name with another key hash is another key.
        assertThatThrownBy(() -> SignedNote.open(note(TEXT, signature("sum.example", key.hash() + 1, TEXT)), key))
                .hasMessageContaining("no verifiable signature");
    }

    @Test
    void refusesASignatureThatDoesNotVerify() throws Exception {
        String forOtherText = signature("sum.example", key.hash(), TEXT.replace("\n3\n", "\n4\n"));
        assertThatThrownBy(() -> SignedNote.open(note(TEXT, forOtherText), key))
                .hasMessageContaining("invalid signature");
    }

    @Test
    void refusesMalformedNotes() throws Exception {
        String sig = signature("sum.example", key.hash(), TEXT);
        byte[][] bad = {
            (TEXT + sig).getBytes(StandardCharsets.UTF_8),
            note(TEXT, sig.substring(0, sig.length() - 1)),
            note(TEXT.replace("tree", "tr\tee"), sig),
            note(TEXT, sig.replace("— ", "- ")),
            note(TEXT, "— sum.example\n"),
            note(TEXT, "— sum.example AAAA\n"),
            note(TEXT, sig.repeat(101)),
            Arrays.copyOf(note(TEXT, sig), note(TEXT, sig).length + 1),
        };
        for (byte[] message : bad) {
            assertThatThrownBy(() -> SignedNote.open(message, key)).as(new String(message, StandardCharsets.UTF_8))
                    .isInstanceOf(SumdbException.class);
        }
        byte[] invalidUtf8 = note(TEXT, sig);
        invalidUtf8[5] = (byte) 0xff;
        assertThatThrownBy(() -> SignedNote.open(invalidUtf8, key)).hasMessageContaining("UTF-8");
    }
}
