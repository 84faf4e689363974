package dev.vreg.host.tls;

import dev.vreg.host.config.ConfigException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A server certificate chain and its private key read from PEM files. The key may be PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC 1 ({@code BEGIN EC PRIVATE KEY}); it is
 * checked to belong to the first certificate, so a mismatch is said at start and not as a failed handshake later.
 */
public record PemKeyMaterial(List<X509Certificate> chain, PrivateKey key) {

    public PemKeyMaterial {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least one certificate");
        }
    }

    /** Reads and checks both files; every problem is a {@link ConfigException} naming the file. */
    public static PemKeyMaterial read(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = readCertificates(certificateFile);
        PrivateKey key = readPrivateKey(keyFile);
        if (!belongTogether(key, chain.get(0).getPublicKey())) {
            throw new ConfigException("the private key in " + keyFile + " does not belong to the certificate in "
                    + certificateFile + " (" + chain.get(0).getSubjectX500Principal().getName() + ")");
        }
        return new PemKeyMaterial(chain, key);
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** What the HTTP server is given: the key re-encoded as PKCS#8, the chain as read. */
    public PemKeyCertOptions options() {
        return new PemKeyCertOptions()
                .setKeyValue(Buffer.buffer(pkcs8(key)))
                .setCertValue(Buffer.buffer(pem(chain.toArray())));
    }

    static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object object : readObjects(file, "certificate")) {
            if (!(object instanceof X509CertificateHolder holder)) {
                throw new ConfigException(file + " holds a " + describe(object) + " where a certificate was expected");
            }
            try {
                certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
            } catch (CertificateException e) {
                throw new ConfigException("the certificate in " + file + " cannot be used: " + e.getMessage());
            }
        }
        if (certificates.isEmpty()) {
            throw new ConfigException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    static PrivateKey readPrivateKey(Path file) {
        List<Object> objects = readObjects(file, "private key");
        if (objects.isEmpty()) {
            throw new ConfigException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        Object object = objects.get(0);
        PrivateKeyInfo info;
        if (object instanceof PEMKeyPair pair) {
            info = pair.getPrivateKeyInfo();
        } else if (object instanceof PrivateKeyInfo plain) {
            info = plain;
        } else if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new ConfigException("the private key in " + file + " is encrypted; give vreg an unencrypted key "
                    + "in a file only it can read (openssl pkey -in KEY -out PLAIN)");
        } else {
            throw new ConfigException(file + " holds a " + describe(object) + " where a private key was expected");
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException e) {
            throw new ConfigException("the private key in " + file + " cannot be used: " + e.getMessage());
        }
    }

    private static List<Object> readObjects(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("the " + what + " file " + file + " does not exist");
        }
        List<Object> objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("cannot read the " + what + " file " + file + ": " + e.getMessage());
        }
        return objects;
    }

    /** A key belongs to a certificate when what it signs verifies with the certificate's public key. */
    static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new ConfigException("private keys of type " + key.getAlgorithm()
                    + " are not supported; use RSA, EC or Ed25519");
        };
        if (!publicKey.getAlgorithm().equals(key.getAlgorithm())
                && !(publicKey.getAlgorithm().startsWith("Ed") && key.getAlgorithm().startsWith("Ed"))) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String describe(Object object) {
        return object.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
    }

    static String pkcs8(PrivateKey key) {
        try {
            return pem(new JcaPKCS8Generator(key, null).generate());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a private key", e);
        }
    }

    static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM", e);
        }
        return out.toString();
    }
}
