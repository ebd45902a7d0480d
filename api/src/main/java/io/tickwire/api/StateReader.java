package io.tickwire.api;

/**
 * Reads back, in the order and with the types they were written, the values a {@link StateWriter} took
 * ({@link Game#restore(StateReader, int)}). Valid only during the call it is passed to.
 * <p>
 * Every read throws {@link IllegalStateException} when the state holds fewer bytes than it needs (or, for a
 * string, an invalid length); the server then counts the restore as failed.
 */
public interface StateReader
{
    boolean readBoolean();

    int readInt();

    int readVarInt();

    long readLong();

    double readDouble();

    /** @return the string written, or null when null was. */
    String readString();

    void readInts(int[] into, int offset, int length);

    void readLongs(long[] into, int offset, int length);

    /** @return the bytes not read yet: 0 once a restore has read everything its save wrote. */
    int remaining();
}
