package dev.vreg.host.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@value #HEADER} header of a webhook request: {@code t=<unix seconds>,v1=<hex HMAC-SHA256>}, the HMAC keyed
 * with the webhook's secret over {@code <t>.<body>}. Signing the time with the body lets a receiver refuse a request
 * replayed later (docs/policies.md shows the check).
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Vreg-Signature";

    private WebhookSignature() {
    }

    public static String header(String secret, long epochSeconds, byte[] body) {
        return "t=" + epochSeconds + ",v1=" + hmac(secret, epochSeconds, body);
    }

    public static String hmac(String secret, long epochSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Whether {@code header} is a valid signature of {@code body} with {@code secret}; compared in constant time. */
    public static boolean verify(String secret, String header, byte[] body) {
        if (header == null) {
            return false;
        }
        Long t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            if (part.startsWith("t=")) {
                try {
                    t = Long.parseLong(part.substring(2));
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if (part.startsWith("v1=")) {
                v1 = part.substring(3);
            }
        }
        return t != null && v1 != null && MessageDigest.isEqual(
                hmac(secret, t, body).getBytes(StandardCharsets.US_ASCII), v1.getBytes(StandardCharsets.US_ASCII));
    }
}
