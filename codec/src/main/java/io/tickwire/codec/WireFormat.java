package io.tickwire.codec;

import java.nio.ByteOrder;

/**
 * Constants of the Tickwire wire protocol, version 2. One WebSocket binary message carries exactly one Tickwire
 * message; the WebSocket frame gives its length. All multi-byte integers are little-endian.
 * <p>
 * Every message starts with a one-byte type. Messages from a client carry, right after the type, the sequence of
 * the newest snapshot the client applied (its ack; 0 before the first snapshot). The server's stream messages
 * (room MESSAGE and PRESENCE) carry their stream sequence at the same offset, so one encoding is patched per
 * recipient:
 * <pre>
 *   client -> server                              server -> client, stream messages (0x45, 0x46)
 *    0               1                             0               1
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 ...               0 1 2 3 4 5 6 7 8 9 0 1 2 3 ...
 *   +---------------+-------------------------+   +---------------+-------------------------+
 *   |     type      |  ack (u32, LE)          |   |     type      |  stream seq (u32, LE)   |
 *   +---------------+-------------------------+   +---------------+-------------------------+
 *   |  body ...                                   |  body ...
 * </pre>
 * See {@code docs/PROTOCOL.md} for every message byte by byte.
 */
public final class WireFormat
{
    /** Version of the protocol this codec speaks; also the suffix of the WebSocket subprotocol. */
    public static final int PROTOCOL_VERSION = 2;

    /** WebSocket subprotocol a client must offer. */
    public static final String SUBPROTOCOL = "tickwire.v" + PROTOCOL_VERSION;

    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    /** Client -> server: join a room of a type, by name, any open one, or a new one. */
    public static final byte TYPE_JOIN = 0x01;

    /** Client -> server: one tick of player input, in the layout of the game's input schema. */
    public static final byte TYPE_INPUT = 0x02;

    /** Client -> server: leave the room. */
    public static final byte TYPE_LEAVE = 0x03;

    /** Client -> server: an application-level ping; the server echoes its timestamp in a pong at once. */
    public static final byte TYPE_PING = 0x04;

    /** Client -> server: a game message of a type clients may send. */
    public static final byte TYPE_MESSAGE = 0x05;

    /** Client -> server: acknowledges the server's stream messages (and, like every client message, a snapshot). */
    public static final byte TYPE_ACK = 0x06;

    /** Server -> client: the reply to a successful join. */
    public static final byte TYPE_WELCOME = 0x41;

    /** Server -> client: the state of the world the client sees, once per tick. */
    public static final byte TYPE_SNAPSHOT = 0x42;

    /** Server -> client: a refusal or error the client should act on. */
    public static final byte TYPE_NOTICE = 0x43;

    /** Server -> client: the answer to a ping, echoing its timestamp. */
    public static final byte TYPE_PONG = 0x44;

    /** Server -> client: a game message from the room; a stream message. */
    public static final byte TYPE_ROOM_MESSAGE = 0x45;

    /** Server -> client: players joining, leaving or changing; a stream message. */
    public static final byte TYPE_PRESENCE = 0x46;

    /** Length of the header every client message starts with: type and ack. */
    public static final int CLIENT_HEADER_LENGTH = 5;

    /** Offset of the u32 stream sequence in a room MESSAGE or a PRESENCE. */
    public static final int STREAM_SEQ_OFFSET = 1;

    /** Length of the header of a stream message: type and stream sequence. */
    public static final int STREAM_HEADER_LENGTH = 5;

    /** Largest client message the server accepts; bigger ones close the connection. */
    public static final int MAX_CLIENT_MESSAGE_LENGTH = 256;

    /** Longest room name, room type name or player name, in UTF-8 bytes. */
    public static final int MAX_NAME_LENGTH = 32;

    /** Longest key of a join option or a metadata entry, in UTF-8 bytes. */
    public static final int MAX_KEY_LENGTH = 32;

    /** Longest value of a join option or a metadata entry, in UTF-8 bytes. */
    public static final int MAX_VALUE_LENGTH = 64;

    /** Most entries of join options, of room metadata and of a player's metadata. */
    public static final int MAX_ENTRIES = 8;

    /** Longest text of a notice, in UTF-8 bytes. */
    public static final int MAX_NOTICE_TEXT_LENGTH = 128;

    private WireFormat()
    {
    }
}
