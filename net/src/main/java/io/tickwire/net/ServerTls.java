package io.tickwire.net;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;

import javax.net.ssl.SSLException;
import java.security.cert.CertificateException;

/**
 * Builds the server's TLS context from {@link TlsSettings}. Cold path, at start.
 */
final class ServerTls
{
    /** The name a self-signed development certificate is made for. */
    static final String SELF_SIGNED_HOST = "localhost";

    private ServerTls()
    {
    }

    /**
     * @throws IllegalArgumentException when the files cannot be read as a PEM certificate chain and key, or a
     *                                  self-signed certificate cannot be made.
     */
    @SuppressWarnings("deprecation") // Netty 4.2 deprecates SelfSignedCertificate for tests; development use here.
    static SslContext context(final TlsSettings settings)
    {
        try
        {
            if (settings.selfSigned())
            {
                // BouncyCastle (bcpkix) makes the certificate: the JDK's own generator is not exported on JDK 17.
                final SelfSignedCertificate certificate = new SelfSignedCertificate(SELF_SIGNED_HOST);
                try
                {
                    return SslContextBuilder.forServer(certificate.key(), certificate.cert()).build();
                }
                finally
                {
                    certificate.delete();
                }
            }
            return SslContextBuilder.forServer(settings.certificateFile().toFile(), settings.keyFile().toFile())
                .build();
        }
        catch (final CertificateException | SSLException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("TLS: " + ex.getMessage(), ex);
        }
    }
}
