package io.tickwire.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Test vectors that Java writes for the web SDK's tests and that are committed under {@code web/test/vectors/}: a
 * test regenerates them in memory and fails, naming the first differing line, when they differ from the committed
 * file, so that the SDK's tests and the Java side cannot drift; with {@code -Dtickwire.writeVectors=true} it
 * rewrites the file instead, after a deliberate change.
 */
public final class CommittedVectors
{
    /** The property that makes {@link #checkOrWrite} rewrite the file. */
    public static final String WRITE_PROPERTY = "tickwire.writeVectors";

    private CommittedVectors()
    {
    }

    /**
     * @param moduleRelativeDirectory the vectors' folder from the running module's base directory (Maven's
     *                                {@code basedir}, else the working directory), e.g. {@code ../web/test/vectors}.
     * @return the folder.
     */
    public static Path directory(final String moduleRelativeDirectory)
    {
        return Path.of(System.getProperty("basedir", ".")).resolve(moduleRelativeDirectory).normalize();
    }

    /**
     * Fails unless {@code file} holds {@code content} line for line; rewrites it first when {@link #WRITE_PROPERTY}
     * is set.
     */
    public static void checkOrWrite(final Path file, final String content) throws IOException
    {
        if (Boolean.getBoolean(WRITE_PROPERTY))
        {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        }
        assertTrue(Files.exists(file), file + " is missing: run with -D" + WRITE_PROPERTY + "=true");
        final List<String> committed = Files.readAllLines(file);
        final List<String> written = content.lines().toList();
        for (int line = 0; line < Math.max(committed.size(), written.size()); line++)
        {
            final String was = line < committed.size() ? committed.get(line) : "<end of file>";
            final String now = line < written.size() ? written.get(line) : "<end of file>";
            if (!was.equals(now))
            {
                fail(file + " differs from what Java writes at line " + (line + 1) + ": run with -D" +
                    WRITE_PROPERTY + "=true and commit it\n  committed: " + abbreviate(was) + "\n  written:   " +
                    abbreviate(now));
            }
        }
    }

    private static String abbreviate(final String line)
    {
        return line.length() <= 160 ? line : line.substring(0, 160) + "...";
    }
}
