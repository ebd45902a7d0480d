package io.tickwire.bots;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;

/**
 * Where one connection of a bot goes: the address to connect to, the WebSocket URL of the handshake, and the
 * subprotocol list it offers. Without a matchmaker every connection of a swarm has the same; with one, each
 * placement names its node and carries its reservation.
 *
 * @param address      the TCP address; a host name is resolved when the connection is made.
 * @param uri          the WebSocket URL, ws or wss.
 * @param subprotocols the comma-separated subprotocols to offer, {@code tickwire.v2} first.
 */
record ConnectTarget(InetSocketAddress address, URI uri, String subprotocols)
{
    /**
     * @param uri          a ws or wss URL with a host.
     * @param subprotocols what to offer.
     * @return the target of that URL, its port 80 (443 for wss) when it names none; not resolved.
     */
    static ConnectTarget of(final URI uri, final String subprotocols)
    {
        return new ConnectTarget(InetSocketAddress.createUnresolved(uri.getHost(), port(uri)), uri, subprotocols);
    }

    /**
     * @return whether the connection is made over TLS (a wss URL).
     */
    boolean isTls()
    {
        return isTls(uri);
    }

    static boolean isTls(final URI uri)
    {
        return "wss".equals(uri.getScheme().toLowerCase(Locale.ROOT));
    }

    static int port(final URI uri)
    {
        return uri.getPort() != -1 ? uri.getPort() : isTls(uri) ? 443 : 80;
    }
}
