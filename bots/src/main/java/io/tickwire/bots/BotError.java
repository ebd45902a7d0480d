package io.tickwire.bots;

/**
 * The kinds of error a bot counts. Any error fails a swarm run; the kinds say where to look.
 */
public enum BotError
{
    /** The TCP connection could not be made. */
    CONNECT_FAILED("TCP connect failed"),

    /** The WebSocket upgrade failed, timed out, or the server did not agree to the subprotocol. */
    HANDSHAKE_FAILED("WebSocket handshake failed"),

    /** The server answered the join with a notice instead of a welcome. */
    JOIN_REFUSED("join refused by a notice"),

    /** The server sent a notice after the join, for example an input refused under load. */
    NOTICE("notice received while joined"),

    /** A welcome or notice that does not decode. */
    BAD_CONTROL("undecodable welcome or notice"),

    /**
     * A snapshot that does not decode: a bad header or flags, an operation that does not fit its baseline, ids not
     * ascending, a value outside its field's range, or bytes left over.
     */
    BAD_SNAPSHOT("malformed snapshot"),

    /** A snapshot whose sequence is not newer than the last one applied. */
    STALE_SNAPSHOT("snapshot sequence not newer"),

    /** A delta snapshot against a baseline the bot never applied or has already dropped. */
    UNKNOWN_BASELINE("snapshot baseline unknown"),

    /** A snapshot whose view holds more entities than a bot keeps. */
    TOO_MANY_ENTITIES("too many entities in view"),

    /**
     * A snapshot that decodes but whose view checksum differs from the server's: the bot's view would not be the
     * server's. Not fatal: the bot keeps its last good view and acknowledges it, so the next delta repairs it.
     */
    CHECKSUM_MISMATCH("snapshot view checksum mismatch"),

    /** A snapshot that does not contain the bot's own entity. */
    MISSING_OWN_ENTITY("own entity missing from snapshot"),

    /** A snapshot whose last applied input went backwards or is beyond the last input sent. */
    BAD_INPUT_ACK("last input sequence out of range"),

    /** A text frame, an unknown message type, or a message the bot's state does not allow. */
    UNEXPECTED_MESSAGE("unexpected message"),

    /** The server closed the connection, or the connection dropped, without the bot asking. */
    UNEXPECTED_CLOSE("connection closed by the server"),

    /** The connection did not close within the close timeout after the bot asked. */
    CLOSE_TIMEOUT("close handshake timed out"),

    /** Any other exception on the connection, for example an I/O error or a corrupt frame. */
    EXCEPTION("exception on the connection");

    static final BotError[] VALUES = values();

    private final String description;

    BotError(final String description)
    {
        this.description = description;
    }

    /**
     * @return a short human-readable description, used in the summary.
     */
    public String description()
    {
        return description;
    }
}
