package io.tickwire.net;

import java.nio.file.Path;

/**
 * Where the server's TLS certificate comes from: PEM files, or a self-signed certificate made at start (development
 * only: clients must be told to trust it).
 *
 * @param certificateFile the certificate chain, PEM; null when self-signed.
 * @param keyFile         the private key, PEM (PKCS#8); null when self-signed.
 * @param selfSigned      whether to make a self-signed certificate for {@code localhost} instead of reading files.
 */
public record TlsSettings(Path certificateFile, Path keyFile, boolean selfSigned)
{
    public TlsSettings
    {
        if (selfSigned == (certificateFile != null || keyFile != null))
        {
            throw new IllegalArgumentException("TLS takes a certificate and a key file, or self-signed, not both");
        }
        if (!selfSigned && (certificateFile == null || keyFile == null))
        {
            throw new IllegalArgumentException("TLS needs both a certificate file and a key file");
        }
    }

    /**
     * @return settings for a self-signed development certificate.
     */
    public static TlsSettings selfSignedCertificate()
    {
        return new TlsSettings(null, null, true);
    }
}
