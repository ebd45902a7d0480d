package io.tickwire.net;

import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's TLS context from PEM files, and a clear refusal of files that are not a certificate and key (the
 * self-signed option is covered live by {@link SecureSwarmIntegrationTest}).
 */
class ServerTlsTest
{
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("deprecation") // Netty's test certificate generator, here to write PEM files
    void pemFilesGiveAServerContext() throws Exception
    {
        final io.netty.handler.ssl.util.SelfSignedCertificate made =
            new io.netty.handler.ssl.util.SelfSignedCertificate("localhost");
        try
        {
            final Path certificate = Files.copy(made.certificate().toPath(), dir.resolve("cert.pem"));
            final Path key = Files.copy(made.privateKey().toPath(), dir.resolve("key.pem"));
            final SslContext fromFiles = ServerTls.context(new TlsSettings(certificate, key, false));
            assertTrue(fromFiles.isServer());
        }
        finally
        {
            made.delete();
        }
    }

    @Test
    void filesThatAreNotPemAreRefusedAtStart() throws Exception
    {
        final Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate");
        assertThrows(IllegalArgumentException.class, () -> ServerTls.context(new TlsSettings(junk, junk, false)));
        assertThrows(IllegalArgumentException.class, () -> new TlsSettings(junk, null, false));
        assertThrows(IllegalArgumentException.class, () -> new TlsSettings(junk, junk, true));
    }
}
