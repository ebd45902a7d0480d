package io.tickwire.net;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * GETs over https from a live test server with a self-signed certificate: trusts any certificate, for tests only.
 */
final class RawHttps
{
    private RawHttps()
    {
    }

    static int status(final int port, final String path) throws Exception
    {
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        final HttpClient client = HttpClient.newBuilder().sslContext(context).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static final class TrustAll implements X509TrustManager
    {
        public void checkClientTrusted(final X509Certificate[] chain, final String authType)
        {
        }

        public void checkServerTrusted(final X509Certificate[] chain, final String authType)
        {
        }

        public X509Certificate[] getAcceptedIssuers()
        {
            return new X509Certificate[0];
        }
    }
}
