package io.tickwire.codec;

import java.nio.ByteOrder;

/**
 * Constants of the Tickwire wire protocol, version 1. One WebSocket binary message carries exactly one Tickwire
 * message; the WebSocket frame gives its length. All multi-byte integers are little-endian.
 * <p>
 * Every message starts with a one-byte type. Messages from a client carry, right after the type, the sequence of
 * the last snapshot the client applied (its ack; 0 before the first snapshot):
 * <pre>
 *   client -> server                              server -> client
 *    0               1                             0
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 ...               0 1 2 3 4 5 6 7 8 ...
 *   +---------------+-------------------------+   +---------------+-------------------
 *   |     type      |  ack (u32, LE)          |   |     type      |  body ...
 *   +---------------+-------------------------+   +---------------+-------------------
 *   |  body ...                                   
 * </pre>
 * See {@code docs/PROTOCOL.md} for every message byte by byte.
 */
public final class WireFormat
{
    /** Version of the protocol this codec speaks; also the suffix of the WebSocket subprotocol. */
    public static final int PROTOCOL_VERSION = 1;

    /** WebSocket subprotocol a client must offer. */
    public static final String SUBPROTOCOL = "tickwire.v" + PROTOCOL_VERSION;

    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    /** Client -> server: join a room by name, or any room with space when the name is empty. */
    public static final byte TYPE_JOIN = 0x01;

    /** Client -> server: one tick of player input. */
    public static final byte TYPE_INPUT = 0x02;

    /** Client -> server: leave the room; the connection may stay open to join again. */
    public static final byte TYPE_LEAVE = 0x03;

    /** Client -> server: an application-level ping; the server echoes its timestamp in a pong at once. */
    public static final byte TYPE_PING = 0x04;

    /** Server -> client: the reply to a successful join. */
    public static final byte TYPE_WELCOME = 0x41;

    /** Server -> client: the state of the world the client sees, once per tick. */
    public static final byte TYPE_SNAPSHOT = 0x42;

    /** Server -> client: a refusal or error the client should act on. */
    public static final byte TYPE_NOTICE = 0x43;

    /** Server -> client: the answer to a ping, echoing its timestamp. */
    public static final byte TYPE_PONG = 0x44;

    /** Length of the header every client message starts with: type and ack. */
    public static final int CLIENT_HEADER_LENGTH = 5;

    /** Largest client message the server accepts; bigger ones close the connection. */
    public static final int MAX_CLIENT_MESSAGE_LENGTH = 256;

    /** Longest room or player name, in UTF-8 bytes. */
    public static final int MAX_NAME_LENGTH = 32;

    private WireFormat()
    {
    }
}
