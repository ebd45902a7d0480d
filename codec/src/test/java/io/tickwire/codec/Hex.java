package io.tickwire.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Hex strings for tests: pairs of hex digits separated by white space; in files, '#' starts a comment to the end of
 * the line.
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

    /**
     * Reads a hex file from the test class path.
     */
    public static byte[] readResource(final String path)
    {
        try (InputStream in = Hex.class.getResourceAsStream(path))
        {
            if (in == null)
            {
                throw new IllegalArgumentException("missing hex file " + path);
            }
            final StringBuilder hex = new StringBuilder();
            for (final String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n"))
            {
                final int comment = line.indexOf('#');
                hex.append(comment < 0 ? line : line.substring(0, comment)).append(' ');
            }
            return parse(hex.toString());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @return every {@code *.hex} file of a class path directory, by file name.
     */
    public static Map<String, byte[]> readDirectory(final String directory)
    {
        try (Stream<Path> files = Files.list(Path.of(Hex.class.getResource(directory).toURI())))
        {
            final Map<String, byte[]> contents = new TreeMap<>();
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final String name = file.getFileName().toString();
                if (name.endsWith(".hex"))
                {
                    contents.put(name, readResource(directory + "/" + name));
                }
            }
            return contents;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
