package io.tickwire.net;

/**
 * Why a connection was refused before it became a WebSocket session, with the HTTP status it is answered with.
 * Every refusal closes the connection; each reason has its own counter ({@code tickwire_refusals_total{reason}})
 * and goes through the {@link ViolationLog}.
 */
public enum Refusal
{
    /** The request line was longer than the decoder accepts. */
    HTTP_LINE_TOO_LONG(414),
    /** The request headers together were larger than the decoder accepts. */
    HTTP_HEADERS_TOO_LARGE(431),
    /** The request could not be decoded as HTTP/1.1. */
    HTTP_BAD_REQUEST(400),
    /** The request body was larger than the aggregator accepts. */
    HTTP_BODY_TOO_LARGE(413),
    /** An upgrade that does not offer the protocol version this server speaks. */
    NO_SUBPROTOCOL(400),
    /** An upgrade from a browser page whose Origin is not in the allow-list. */
    ORIGIN_NOT_ALLOWED(403),
    /** An upgrade without a token, on a server that requires one. */
    TOKEN_MISSING(401),
    /** A token that is not a well-formed JWT, or lacks a subject or an expiry. */
    TOKEN_MALFORMED(401),
    /** A token whose signature does not verify with the server's secret, or that is signed with another algorithm. */
    TOKEN_FORGED(401),
    /** A token past its expiry (beyond the clock leeway). */
    TOKEN_EXPIRED(401),
    /** A token before its not-before or issued-at time (beyond the clock leeway). */
    TOKEN_NOT_YET_VALID(401),
    /** A token from another issuer. */
    TOKEN_WRONG_ISSUER(401),
    /** A valid token meant for another audience: authenticated, but not allowed here. */
    TOKEN_WRONG_AUDIENCE(403),
    /** The server holds its maximum number of connections. */
    TOO_MANY_CONNECTIONS(503),
    /** The client's address holds its maximum number of connections. */
    TOO_MANY_FROM_ADDRESS(429),
    /** The connection did not complete its WebSocket handshake in time after the TCP accept (closed, no status). */
    HANDSHAKE_TIMEOUT(0),
    /** Clustered: an upgrade without a seat reservation (nor a resume). */
    RESERVATION_MISSING(401),
    /** Clustered: a reservation that is not a well-formed token signed with the cluster secret. */
    RESERVATION_FORGED(401),
    /** Clustered: a reservation that was already consumed, or that Redis no longer knows. */
    RESERVATION_USED(410),
    /** Clustered: a reservation past its expiry. */
    RESERVATION_EXPIRED(410),
    /** Clustered: the reservation's room is hosted by another node now. */
    WRONG_NODE(421),
    /** Clustered: Redis did not answer the reservation check in time. */
    CLUSTER_UNAVAILABLE(503);

    private final int httpStatus;

    Refusal(final int httpStatus)
    {
        this.httpStatus = httpStatus;
    }

    /**
     * @return the HTTP status the refusal is answered with, or 0 when the connection is closed without a response.
     */
    public int httpStatus()
    {
        return httpStatus;
    }
}
