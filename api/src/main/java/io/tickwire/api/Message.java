package io.tickwire.api;

import io.tickwire.api.schema.MessageType;

/**
 * A message a client sent, of a type clients may send. Every field has been checked against its schema. A view
 * reused for every message: valid only during {@link Game#onMessage}.
 */
public interface Message
{
    MessageType type();

    /**
     * @return the value of numeric field {@code field}, within its range.
     */
    int getInt(int field);

    /**
     * @return text field {@code field} as a new string (this allocates; messages are events, not per-tick state).
     */
    String getText(int field);

    /**
     * @return the length in bytes of text or bytes field {@code field}.
     */
    int length(int field);

    /**
     * Copies bytes field (or the UTF-8 of text field) {@code field} into {@code target} at {@code offset}.
     */
    void getBytes(int field, byte[] target, int offset);
}
