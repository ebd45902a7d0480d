package io.tickwire.bots;

import io.tickwire.codec.control.PresenceDecoder;
import io.tickwire.codec.control.PresenceEntry;
import org.agrona.DirectBuffer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the PRESENCE messages of one group's bots ({@link PresenceDecoder}) and gives equal entries one instance.
 * Every bot of a room is told the same players, so with an instance per bot a room of n bots held n² entries, each
 * with its name and metadata maps: a million in a room of 1000 bots, about 240 MB, which the swarm's collector then
 * copied at every young collection. Entries are immutable, and two are shared only when they are equal and list their
 * metadata in the same order (a map's equality ignores the order, the wire's does not), so a bot holding another
 * bot's entry sees exactly what it was sent. Leaves are shared too, so that {@link PresenceStates} finds two bots'
 * messages the same by their entries' instances.
 * <p>
 * At most {@link #MAX_KEPT_ENTRIES} distinct entries are kept; past that (churn, many rooms) the table starts over,
 * which costs sharing, not correctness. Owned by the group's event loop.
 */
final class GroupPresenceDecoder
{
    /**
     * Distinct entries kept for sharing: about 4 MB at some 240 bytes an entry, more than the joins and leaves one
     * loop's rooms hold at once in any run of the swarm so far (a leave is kept until the table starts over).
     */
    static final int MAX_KEPT_ENTRIES = 1 << 14;

    private final PresenceDecoder decoder = new PresenceDecoder();
    private final Map<Key, PresenceEntry> kept = new HashMap<>();

    /**
     * @return the entries of a whole PRESENCE message in order, each the instance kept for its value; or null when it
     * is malformed.
     */
    List<PresenceEntry> decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final List<PresenceEntry> entries = decoder.decode(buffer, offset, length);
        if (entries != null)
        {
            entries.replaceAll(this::share);
        }
        return entries;
    }

    /**
     * @return the stream sequence of the message last decoded successfully.
     */
    int seq()
    {
        return decoder.seq();
    }

    /**
     * @return the distinct entries kept now.
     */
    int keptCount()
    {
        return kept.size();
    }

    private PresenceEntry share(final PresenceEntry entry)
    {
        final Key key = new Key(entry, List.copyOf(entry.metadata().keySet()));
        final PresenceEntry same = kept.get(key);
        if (same != null)
        {
            return same;
        }
        if (kept.size() == MAX_KEPT_ENTRIES)
        {
            kept.clear();
        }
        kept.put(key, entry);
        return entry;
    }

    /**
     * An entry with the order of its metadata keys, which its equality leaves out.
     */
    private record Key(PresenceEntry entry, List<String> metadataOrder)
    {
    }
}
