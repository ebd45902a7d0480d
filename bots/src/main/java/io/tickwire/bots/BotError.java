package io.tickwire.bots;

/**
 * The kinds of error a bot counts. A run fails when it counts more errors than its thresholds allow (none by
 * default); the kinds say where to look. A failed attempt to reconnect after a planned drop counts too, as the kind
 * of its failure, and is retried.
 */
public enum BotError
{
    /** The matchmaker refused a seat for good (FULL, LOCKED, ROOM_NOT_FOUND, 400, 401...): see docs/SCALE.md. */
    MATCHMAKE_REFUSED("matchmaker refused a seat"),

    /** The matchmaker's answer broke the contract: an unknown status, bad JSON, a field missing or out of range. */
    MATCHMAKE_BAD_ANSWER("malformed matchmaker answer"),

    /** The TCP connection could not be made. */
    CONNECT_FAILED("TCP connect failed"),

    /**
     * A WebSocket frame from the server broke RFC 6455: reserved bits or opcodes, a mask, a length not in the fewest
     * bytes or over the limit, a bad control frame or continuation; the bot closes with 1002 (1009 for too long).
     */
    BAD_FRAME("malformed WebSocket frame"),

    /** The WebSocket upgrade failed, timed out, or the server did not agree to the subprotocol. */
    HANDSHAKE_FAILED("WebSocket handshake failed"),

    /** The server answered the join with a notice instead of a welcome. */
    JOIN_REFUSED("join refused by a notice"),

    /** No welcome and no notice within the connect timeout after the join. */
    JOIN_TIMEOUT("no answer to the join"),

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

    /**
     * A snapshot whose message ack (the newest client message the server accepted) went back, or is beyond the last
     * message the bot sent.
     */
    BAD_MESSAGE_ACK("snapshot message ack out of range"),

    /** A room message or presence whose stream sequence is not exactly one more than the one before. */
    BAD_STREAM_SEQUENCE("stream message out of sequence"),

    /** A room message that does not validate against the welcome's message types. */
    BAD_ROOM_MESSAGE("malformed room message"),

    /**
     * A presence message that does not decode, or contradicts the bot's presence list: a join of a player present,
     * an update or leave of one absent.
     */
    BAD_PRESENCE("malformed or inconsistent presence"),

    /** A resume welcomed the bot as another player or with another avatar than before the drop. */
    RESUME_MISMATCH("resume gave another player or avatar"),

    /** One of the bot's own messages came back a second time: a message was applied twice. */
    DUPLICATE_MESSAGE("own message delivered twice"),

    /** A pong of the wrong length, or echoing a time at which the bot sent no ping in this session. */
    BAD_PONG("pong malformed or not answering a ping"),

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
