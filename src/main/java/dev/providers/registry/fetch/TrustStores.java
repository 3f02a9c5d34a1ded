package dev.providers.registry.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The JVM's default trust anchors plus extra PEM files: added to the defaults, never replacing them. */
final class TrustStores {

    private TrustStores() {}

    static TrustManagerFactory defaultsPlus(List<String> pemFiles) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate anchor : jvmDefaultTrustManager().getAcceptedIssuers()) {
                store.setCertificateEntry("jvm-" + i++, anchor);
            }
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (String file : pemFiles) {
                try (InputStream in = Files.newInputStream(Path.of(file.trim()))) {
                    int j = 0;
                    for (Certificate certificate : factory.generateCertificates(in)) {
                        store.setCertificateEntry("extra-" + file + "-" + j++, certificate);
                    }
                    if (j == 0) {
                        throw new IllegalStateException("registry.fetch.extra-ca-certs: no certificate in " + file);
                    }
                }
            }
            TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            combined.init(store);
            return combined;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("registry.fetch.extra-ca-certs could not be loaded: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager jvmDefaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("the JVM has no X.509 trust manager");
    }
}
