package dev.vreg.host.tls;

import dev.vreg.host.config.ConfigException;
import dev.vreg.host.config.VregConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's own certificate authority, in {@code <dataDir>/tls/}: {@code ca.pem} (what clients trust,
 * e.g. {@code SSL_CERT_FILE}), {@code ca.key}, and the server's {@code server.pem} (chain) and {@code server.key}.
 * Made on the first start and reused; the server certificate is made again when it is near its end, does not cover
 * the names vreg is reached by, or was not issued by this CA; the CA itself only when it is near its own end or
 * unreadable (then clients must trust the new {@code ca.pem}). Keys are readable by their owner alone.
 */
public final class PrivateCa {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateCa.class);

    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration SERVER_VALIDITY = Duration.ofDays(397);
    /** A certificate with less than this left is replaced at start. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private final Path dir;
    private final PemKeyMaterial ca;
    private final PemKeyMaterial server;

    private PrivateCa(Path dir, PemKeyMaterial ca, PemKeyMaterial server) {
        this.dir = dir;
        this.ca = ca;
        this.server = server;
    }

    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    public PemKeyMaterial server() {
        return server;
    }

    /** The names a generated certificate covers: loopback, the listen host, the public URL's host, extra names. */
    public static Set<String> serverNames(VregConfig config) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        String host = config.http.host;
        if (host != null && !host.isBlank() && !"0.0.0.0".equals(host) && !"::".equals(host)) {
            names.add(host);
        }
        if (config.http.publicUrl != null && !config.http.publicUrl.isBlank()) {
            String publicHost = URI.create(config.http.publicUrl).getHost();
            if (publicHost != null) {
                names.add(publicHost.replaceAll("^\\[|]$", ""));
            }
        }
        names.addAll(config.http.tls.names);
        return names;
    }

    public static PrivateCa loadOrCreate(Path dir, Set<String> names, Clock clock) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("cannot create " + dir + " for the generated certificates: " + e.getMessage());
        }
        Instant now = clock.instant();
        PemKeyMaterial ca = loadUsable(dir.resolve("ca.pem"), dir.resolve("ca.key"), now);
        if (ca == null) {
            boolean replaced = Files.exists(dir.resolve("ca.pem"));
            ca = createCa(now);
            write(dir.resolve("ca.key"), PemKeyMaterial.pkcs8(ca.key()), true);
            write(dir.resolve("ca.pem"), PemKeyMaterial.pem(ca.certificate()), false);
            if (replaced) {
                LOG.warn("vreg's private CA in {} was near its end or unreadable and has been made again: clients "
                        + "must trust the new {}", dir, dir.resolve("ca.pem"));
            }
        }
        PemKeyMaterial server = loadUsable(dir.resolve("server.pem"), dir.resolve("server.key"), now);
        if (server == null || !issuedBy(server.certificate(), ca.certificate()) || !covers(server.certificate(),
                names)) {
            server = createServer(ca, names, now);
            write(dir.resolve("server.key"), PemKeyMaterial.pkcs8(server.key()), true);
            write(dir.resolve("server.pem"), PemKeyMaterial.pem(server.chain().toArray()), false);
            LOG.info("Made a server certificate for {} valid until {}, issued by vreg's private CA", names,
                    server.certificate().getNotAfter().toInstant());
        }
        return new PrivateCa(dir, ca, server);
    }

    /** The pair in the two files when both can be read, belong together and have time left; otherwise null. */
    private static PemKeyMaterial loadUsable(Path certificate, Path key, Instant now) {
        if (!Files.exists(certificate) || !Files.exists(key)) {
            return null;
        }
        try {
            PemKeyMaterial material = PemKeyMaterial.read(certificate, key);
            Instant end = material.certificate().getNotAfter().toInstant();
            return end.minus(RENEW_BEFORE).isAfter(now) ? material : null;
        } catch (ConfigException e) {
            LOG.warn("Replacing {}: {}", certificate, e.getMessage());
            return null;
        }
    }

    private static boolean issuedBy(X509Certificate certificate, X509Certificate ca) {
        try {
            certificate.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean covers(X509Certificate certificate, Set<String> names) {
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            Set<String> present = new LinkedHashSet<>();
            if (alternatives != null) {
                alternatives.forEach(entry -> present.add(normalise(String.valueOf(entry.get(1)))));
            }
            return names.stream().map(PrivateCa::normalise).allMatch(present::contains);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    /** Java prints IPv6 addresses in full ({@code 0:0:0:0:0:0:0:1}); compare them as addresses. */
    private static String normalise(String name) {
        if (isAddress(name)) {
            try {
                return java.net.InetAddress.getByName(name).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                return name;
            }
        }
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean isAddress(String name) {
        return name.matches("\\d{1,3}(\\.\\d{1,3}){3}") || name.contains(":");
    }

    private static PemKeyMaterial createCa(Instant now) {
        KeyPair pair = keyPair();
        X500Name subject = new X500Name("CN=vreg private CA " + serial().toString(16).substring(0, 8)
                + ",O=vreg");
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), subject,
                    pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(pair.getPublic()));
            return new PemKeyMaterial(List.of(sign(builder, pair.getPrivate())), pair.getPrivate());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make vreg's private CA", e);
        }
    }

    private static PemKeyMaterial createServer(PemKeyMaterial ca, Set<String> names, Instant now) {
        KeyPair pair = keyPair();
        List<GeneralName> alternatives = new ArrayList<>();
        for (String name : names) {
            alternatives.add(new GeneralName(isAddress(name) ? GeneralName.iPAddress : GeneralName.dNSName, name));
        }
        Instant end = now.plus(SERVER_VALIDITY);
        Instant caEnd = ca.certificate().getNotAfter().toInstant();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(end.isBefore(caEnd) ? end : caEnd),
                    new X500Name("CN=" + names.iterator().next()), pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(alternatives.toArray(GeneralName[]::new)))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(ca.certificate()));
            return new PemKeyMaterial(List.of(sign(builder, ca.key()), ca.certificate()), pair.getPrivate());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a server certificate", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, java.security.PrivateKey issuerKey)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an EC P-256 key", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
    }

    /** Written next to the target and moved over it, so a reader never sees half a file; keys owner-only. */
    private static void write(Path target, String content, boolean secret) {
        try {
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                            secret ? "rw-------" : "rw-r--r--")));
            Files.writeString(temp, content, StandardCharsets.US_ASCII);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
