package io.tickwire.api;

/**
 * Builds one room-to-client message and sends it. Get it from {@link RoomContext#message}: the writer is reused, so
 * build and send one message before asking for the next. Fields not put are sent as their minimum (numeric) or
 * empty (text, bytes). The same message may be sent several times: {@code send(a); send(b);}.
 * <p>
 * Delivery: each recipient gets the message once, in the order the room sent its messages to it, never conflated
 * or dropped; a message sent during tick T reaches the client before the snapshot of tick T. A client that falls
 * too far behind acknowledging messages is disconnected rather than queued without bound.
 */
public interface MessageWriter
{
    /**
     * @throws IllegalArgumentException when the field is not numeric or the value is out of its range.
     */
    MessageWriter putInt(int field, int value);

    /**
     * @throws IllegalArgumentException when the field is not text, the text holds control characters, or its
     *                                  UTF-8 is longer than the field's maximum.
     */
    MessageWriter putText(int field, CharSequence text);

    /**
     * @throws IllegalArgumentException when the field is not bytes or {@code length} exceeds its maximum.
     */
    MessageWriter putBytes(int field, byte[] source, int offset, int length);

    /**
     * Sends the message to one player.
     */
    MessageWriter send(Player player);

    /**
     * Sends the message to every player of the room.
     */
    MessageWriter broadcast();

    /**
     * Sends the message to every player of the room but {@code excluded}.
     */
    MessageWriter broadcastExcept(Player excluded);
}
