package io.tickwire.api;

/**
 * Where a game writes its state for a checkpoint ({@link Game#save(StateWriter)}): a stream of primitives, read back
 * in the same order, with the same types, by a {@link StateReader}. Valid only during the call it is passed to.
 */
public interface StateWriter
{
    void writeBoolean(boolean value);

    /** Four bytes, any value. */
    void writeInt(int value);

    /** One to five bytes: small non-negative values are short, a negative one takes five. */
    void writeVarInt(int value);

    void writeLong(long value);

    /** The exact bits of {@code value}, NaN payloads included. */
    void writeDouble(double value);

    /** A string or null, as UTF-8. */
    void writeString(String value);

    /** {@code length} ints of {@code values} from {@code offset}; the reader must ask for the same length. */
    void writeInts(int[] values, int offset, int length);

    /** {@code length} longs of {@code values} from {@code offset}; the reader must ask for the same length. */
    void writeLongs(long[] values, int offset, int length);
}
