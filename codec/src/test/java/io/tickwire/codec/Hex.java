package io.tickwire.codec;

/**
 * Hex strings for tests: pairs of hex digits separated by white space.
 */
public final class Hex
{
    private Hex()
    {
    }

    public static byte[] parse(final String hex)
    {
        final String trimmed = hex.trim();
        if (trimmed.isEmpty())
        {
            return new byte[0];
        }
        final String[] pairs = trimmed.split("\\s+");
        final byte[] bytes = new byte[pairs.length];
        for (int i = 0; i < pairs.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(pairs[i], 16);
        }
        return bytes;
    }
}
