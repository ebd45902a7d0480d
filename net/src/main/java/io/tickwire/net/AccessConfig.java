package io.tickwire.net;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Who may connect, and how: tokens, origins, connection caps, the handshake deadline and TLS. Fixed at start.
 *
 * @param tokens                   how tokens are checked, or null to accept clients without one (development).
 * @param allowedOrigins           origins (e.g. {@code https://game.example.com}) whose pages may open a socket; empty
 *                                 for any. A request without an Origin header (not a browser) is always allowed.
 * @param maxConnections           most TCP connections open at once, HTTP and WebSocket.
 * @param maxConnectionsPerAddress most TCP connections open at once from one IP address.
 * @param handshakeTimeoutMs       from TCP accept to a completed WebSocket handshake, in milliseconds; a connection
 *                                 that is not a WebSocket by then is closed (plain HTTP connections too).
 * @param tls                      TLS settings, or null to serve plain ws and http.
 */
public record AccessConfig(
    TokenPolicy tokens,
    List<String> allowedOrigins,
    int maxConnections,
    int maxConnectionsPerAddress,
    long handshakeTimeoutMs,
    TlsSettings tls)
{
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 64;
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(5);

    public AccessConfig
    {
        if (maxConnections < 1 || maxConnectionsPerAddress < 1)
        {
            throw new IllegalArgumentException("connection caps must be positive");
        }
        if (handshakeTimeoutMs < 1)
        {
            throw new IllegalArgumentException("the handshake timeout must be positive: " + handshakeTimeoutMs);
        }
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /**
     * @return no tokens, any origin, default caps and deadline, no TLS.
     */
    public static AccessConfig defaults()
    {
        return new AccessConfig(
            null, List.of(), DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_HANDSHAKE_TIMEOUT_MS,
            null);
    }

    public AccessConfig withTokens(final TokenPolicy policy)
    {
        return new AccessConfig(policy, allowedOrigins, maxConnections, maxConnectionsPerAddress, handshakeTimeoutMs,
            tls);
    }

    public AccessConfig withAllowedOrigins(final List<String> origins)
    {
        return new AccessConfig(tokens, origins, maxConnections, maxConnectionsPerAddress, handshakeTimeoutMs, tls);
    }

    public AccessConfig withConnectionCaps(final int total, final int perAddress)
    {
        return new AccessConfig(tokens, allowedOrigins, total, perAddress, handshakeTimeoutMs, tls);
    }

    public AccessConfig withHandshakeTimeoutMs(final long timeoutMs)
    {
        return new AccessConfig(tokens, allowedOrigins, maxConnections, maxConnectionsPerAddress, timeoutMs, tls);
    }

    public AccessConfig withTls(final TlsSettings settings)
    {
        return new AccessConfig(tokens, allowedOrigins, maxConnections, maxConnectionsPerAddress, handshakeTimeoutMs,
            settings);
    }
}
