package io.tickwire.sim.journal;

import io.tickwire.api.GameType;
import io.tickwire.codec.VarInts;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.ShardConfig;
import io.tickwire.sim.checkpoint.CheckpointCodec;
import io.tickwire.sim.checkpoint.CheckpointFrame;
import io.tickwire.sim.checkpoint.CheckpointSink;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * Writes the rooms' input journals to files: the {@link RoomJournal.Factory} the shards open each room's journal
 * from, the {@link CheckpointSink} their checkpoints reach it by, and the agent of the one {@code tickwire-journal}
 * thread that drains both to {@code <dir>/<room>/<startTick>.twj} ({@link JournalFormat}) beside
 * {@code <startTick>.twc} ({@link CheckpointCodec} bytes).
 * <pre>
 *   shard threads --JournalRecorder.onX--> ManyToOneRingBuffer (bounded; full: that journal breaks, counted)
 *                 --checkpoint sink-----> frame parked in a slot + CHECKPOINT(slot) in the same ring, so the
 *                                         writer splits the record stream exactly at the checkpoint
 *   tickwire-journal: doWork() = read the ring -> JournalFile per room (64 KiB staging) -> FileChannel; flush
 *                     CHECKPOINT: encode the frame, release it, END the old file, write .twc, start the new .twj
 * </pre>
 * A journal records nothing until its first checkpoint (the shard takes one when it opens a room's journal); then a
 * checkpoint starts a new file when the current one is {@code rotate} old. The ring is shared by the shards (a
 * many-to-one ring: a CAS per record, never a lock or a wait) rather than one per shard, because a
 * {@code RoomJournal.Factory} is not told which shard opens a journal. A name used again gets
 * {@code <startTick>~<n>}. Run it under an {@link AgentRunner} ({@link #start}), or call {@link #doWork()} by hand.
 */
public final class JournalWriterAgent implements Agent, RoomJournal.Factory, CheckpointSink, AutoCloseable
{
    /** Default ring: 8 MiB of records, several seconds of a busy server's journals. */
    public static final int DEFAULT_RING_BYTES = 8 << 20;
    /** Idle duty cycles between two scans for journals broken without a BROKEN message. */
    static final int BROKEN_SCAN_IDLE_CYCLES = 1024;
    /** Checkpoint frames parked at once between the shards and the writer. */
    static final int FRAME_SLOTS = 256;

    private final Path dir;
    private final GameCatalog catalog;
    private final ShardConfig settings;
    private final Function<String, Map<String, String>> gameOptions;
    private final long rotateTicks;
    private final AtomicReferenceArray<CheckpointFrame> parked = new AtomicReferenceArray<>(FRAME_SLOTS);
    private final ConcurrentHashMap<String, JournalRecorder> recorders = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, JournalRecorder> opening = new ConcurrentHashMap<>();
    private final CRC32 crc = new CRC32();
    private final ErrorHandler errorHandler;
    private final RingBuffer ring;
    private final AtomicInteger nextJournalId = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong ioErrors = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final Int2ObjectHashMap<OpenJournal> journals = new Int2ObjectHashMap<>();
    private final VarInts.Reader reader = new VarInts.Reader();
    private final List<OpenJournal> dirty = new ArrayList<>();
    private final MessageHandler handler = this::onMessage;
    private AgentRunner runner;
    private long idleCycles;

    /**
     * @param dir          the journal directory; created when absent.
     * @param rotate       how old a file is when a checkpoint starts the next one.
     * @param catalog      the server's game types.
     * @param gameOptions  the options each game type was made with ({@code GameSettings.options()}), by name:
     *                     each header records them, so a replay makes the type the same way.
     * @param settings     the shards' settings, whose tick rate, view and seed settings each header records.
     * @param ringBytes    bytes of records the ring holds, a power of two.
     * @param errorHandler told of each file that could not be written (that journal stops; the rest go on).
     */
    public JournalWriterAgent(
        final Path dir, final Duration rotate, final GameCatalog catalog,
        final Function<String, Map<String, String>> gameOptions, final ShardConfig settings, final int ringBytes,
        final ErrorHandler errorHandler) throws IOException
    {
        this.gameOptions = gameOptions;
        this.dir = Files.createDirectories(dir);
        this.rotateTicks = Math.max(1, rotate.toNanos() / settings.tickPeriodNs());
        this.catalog = catalog;
        this.settings = settings;
        this.errorHandler = errorHandler;
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(ringBytes + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /**
     * Starts a writer on its own {@code tickwire-journal} thread.
     */
    public static JournalWriterAgent start(
        final Path dir, final Duration rotate, final GameCatalog catalog,
        final Function<String, Map<String, String>> gameOptions, final ShardConfig settings,
        final ErrorHandler errorHandler) throws IOException
    {
        final JournalWriterAgent agent = new JournalWriterAgent(dir, rotate, catalog, gameOptions, settings,
            DEFAULT_RING_BYTES, errorHandler);
        agent.runner = new AgentRunner(new BackoffIdleStrategy(1, 10, 1_000, 1_000_000), errorHandler, null, agent);
        AgentRunner.startOnThread(agent.runner);
        return agent;
    }

    public String roleName()
    {
        return "tickwire-journal";
    }

    /**
     * Shard thread (any, concurrently): opens a room's journal.
     */
    public RoomJournal open(final String room, final String type, final int tickRateHz, final long startTick)
    {
        final GameType gameType = catalog.get(type);
        if (gameType == null)
        {
            return null;
        }
        final int journalId = nextJournalId.incrementAndGet();
        final JournalRecorder recorder = new JournalRecorder(this, ring, journalId, gameType, room, startTick,
            rotateTicks, dropped);
        opening.put(journalId, recorder);
        recorders.put(room, recorder);
        return recorder;
    }

    /**
     * Shard thread: a checkpoint of a room; taken when it starts the room's journal or a new file of it.
     *
     * @return true when taken (the writer thread releases it); false when the journal does not need it.
     */
    public boolean offer(final CheckpointFrame frame)
    {
        final JournalRecorder recorder = recorders.get(frame.snapshot().room());
        return recorder != null && recorder.offerCheckpoint(frame);
    }

    /**
     * @return a sink that offers each checkpoint to this journal writer and to {@code other} (the cluster's), a frame
     * taken by both held until both released it ({@link CheckpointFrame#retain()}); its answer is {@code other}'s.
     */
    public CheckpointSink alongside(final CheckpointSink other)
    {
        return frame ->
        {
            frame.retain();
            if (!offer(frame))
            {
                frame.release();
            }
            return other.offer(frame);
        };
    }

    /**
     * @return the ticks between a journal file's first checkpoint and the checkpoint that starts the next file.
     */
    public long rotateTicks()
    {
        return rotateTicks;
    }

    /**
     * Shard thread: a room's journal closed; its checkpoints are no longer wanted.
     *
     * @param neverOpened its OPEN never reached the ring, so the writer will not take it from {@code opening}.
     */
    void forget(final String room, final int journalId, final JournalRecorder recorder, final boolean neverOpened)
    {
        recorders.remove(room, recorder);
        if (neverOpened)
        {
            opening.remove(journalId, recorder);
        }
    }

    /**
     * Shard thread: parks a frame for the writer.
     *
     * @return its slot, or -1 when every slot is taken.
     */
    int park(final CheckpointFrame frame)
    {
        for (int slot = 0; slot < FRAME_SLOTS; slot++)
        {
            if (parked.get(slot) == null && parked.compareAndSet(slot, null, frame))
            {
                return slot;
            }
        }
        return -1;
    }

    /**
     * Shard thread: takes back a frame the ring did not take.
     */
    void unpark(final int slot)
    {
        parked.set(slot, null);
    }

    /**
     * @return records lost because the ring was full (each broke its room's journal); any thread.
     */
    public long droppedRecords()
    {
        return dropped.get();
    }

    /**
     * @return journals stopped because their file could not be written; any thread.
     */
    public long ioErrors()
    {
        return ioErrors.get();
    }

    /**
     * @return bytes written to journal files; any thread.
     */
    public long bytesWritten()
    {
        return bytesWritten.get();
    }

    public int doWork()
    {
        final int read = ring.read(handler, 4096);
        if (read == 0 && ++idleCycles % BROKEN_SCAN_IDLE_CYCLES == 0)
        {
            abandonBroken();
        }
        for (int i = 0, n = dirty.size(); i < n; i++)
        {
            flush(dirty.get(i));
        }
        dirty.clear();
        return read;
    }

    /**
     * Stops the journals whose recorder broke without getting its BROKEN message through (the ring was full at the
     * room's close): their files stay without END.
     */
    private void abandonBroken()
    {
        final Int2ObjectHashMap<OpenJournal>.EntryIterator entries = journals.entrySet().iterator();
        while (entries.hasNext())
        {
            entries.next();
            final OpenJournal journal = entries.getValue();
            if (journal.recorder != null && journal.recorder.isBroken())
            {
                abandon(journal);
                recorders.remove(journal.room, journal.recorder);
                entries.remove();
            }
        }
    }

    /**
     * Stops the thread (if {@link #start started}), writes what the ring still holds, and ends every open journal
     * with END (rooms still open at shutdown end their journals cleanly), but a broken one, left without END. Call it
     * once the shards have stopped.
     */
    public void close()
    {
        CloseHelper.quietClose(runner);
        while (doWork() > 0)
        {
            continue;
        }
        for (final OpenJournal journal : new ArrayList<>(journals.values()))
        {
            if (journal.recorder != null && journal.recorder.isBroken())
            {
                abandon(journal);
            }
            else
            {
                finish(journal);
            }
        }
        journals.clear();
    }

    public void onClose()
    {
        // close() drains and ends the files once the thread has stopped.
    }

    private void onMessage(final int kind, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int journalId = buffer.getInt(index);
        final int payload = index + JournalRecorder.ID_LENGTH;
        final int payloadLength = length - JournalRecorder.ID_LENGTH;
        if (kind == JournalRecorder.OPEN)
        {
            reader.wrap(buffer, payload, payloadLength);
            final long startTick = reader.varLong();
            final String room = reader.string(0, JournalFormat.MAX_TEXT_LENGTH);
            final String type = reader.string(0, JournalFormat.MAX_TEXT_LENGTH);
            journals.put(journalId, new OpenJournal(room, catalog.get(type), startTick, opening.remove(journalId)));
            return;
        }
        final OpenJournal journal = journals.get(journalId);
        if (journal == null)
        {
            return;
        }
        switch (kind)
        {
            case JournalRecorder.CHECKPOINT:
                reader.wrap(buffer, payload, payloadLength);
                final CheckpointFrame frame = parked.getAndSet(reader.varInt(FRAME_SLOTS - 1), null);
                if (frame != null)
                {
                    onCheckpoint(journal, frame);
                }
                break;
            case JournalRecorder.CLOSE:
                finish(journal);
                journals.remove(journalId);
                recorders.remove(journal.room, journal.recorder);
                break;
            case JournalRecorder.BROKEN:
                abandon(journal);
                journals.remove(journalId);
                recorders.remove(journal.room, journal.recorder);
                break;
            default:
                append(journal, kind, buffer, payload, payloadLength);
                break;
        }
    }

    private void append(
        final OpenJournal journal, final int kind, final DirectBuffer buffer, final int offset, final int length)
    {
        if (journal.file == null)
        {
            return;
        }
        try
        {
            journal.file.append(kind, buffer, offset, length);
            markDirty(journal);
        }
        catch (final IOException ex)
        {
            onIoError(journal, ex);
        }
    }

    /**
     * Ends the journal's current file, writes the checkpoint beside where the next one starts, and starts it.
     */
    private void onCheckpoint(final OpenJournal journal, final CheckpointFrame frame)
    {
        final byte[] checkpoint;
        final long startTick = frame.snapshot().tick();
        try
        {
            checkpoint = CheckpointCodec.write(frame);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
            ioErrors.incrementAndGet();
            abandon(journal);
            return;
        }
        finally
        {
            frame.release();
        }
        finish(journal);
        try
        {
            final Path roomDir = Files.createDirectories(dir.resolve(directoryName(journal.room)));
            String base = Long.toString(startTick);
            for (int n = 1; Files.exists(roomDir.resolve(base + JournalFormat.JOURNAL_SUFFIX)) ||
                Files.exists(roomDir.resolve(base + JournalFormat.CHECKPOINT_SUFFIX)); n++)
            {
                base = startTick + "~" + n;
            }
            Files.write(roomDir.resolve(base + JournalFormat.CHECKPOINT_SUFFIX), checkpoint,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            bytesWritten.addAndGet(checkpoint.length);
            crc.reset();
            crc.update(checkpoint);
            final FileChannel channel = FileChannel.open(roomDir.resolve(base + JournalFormat.JOURNAL_SUFFIX),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            journal.file = new JournalFile(channel, new JournalHeader(journal.room, journal.type.name(),
                settings.tickRateHz(), startTick, (int)crc.getValue(), JournalHeader.schemaCrc(journal.type),
                gameOptions.apply(journal.type.name()), settings.viewRadius(), settings.viewHysteresis(),
                settings.maxEntitiesPerSnapshot(), settings.historyWindowTicks(), settings.seed()));
            markDirty(journal);
        }
        catch (final IOException ex)
        {
            onIoError(journal, ex);
        }
    }

    private void markDirty(final OpenJournal journal)
    {
        if (!journal.dirty)
        {
            journal.dirty = true;
            dirty.add(journal);
        }
    }

    private void flush(final OpenJournal journal)
    {
        journal.dirty = false;
        if (journal.file != null)
        {
            try
            {
                final long before = journal.file.bytesWritten();
                journal.file.flush();
                bytesWritten.addAndGet(journal.file.bytesWritten() - before);
            }
            catch (final IOException ex)
            {
                onIoError(journal, ex);
            }
        }
    }

    private void finish(final OpenJournal journal)
    {
        if (journal.file != null)
        {
            try
            {
                final long before = journal.file.bytesWritten();
                journal.file.finish();
                bytesWritten.addAndGet(journal.file.bytesWritten() - before);
                journal.file.close();
            }
            catch (final IOException ex)
            {
                onIoError(journal, ex);
            }
            journal.file = null;
        }
    }

    private void abandon(final OpenJournal journal)
    {
        if (journal.file != null)
        {
            try
            {
                journal.file.flush();
                journal.file.close();
            }
            catch (final IOException ex)
            {
                onIoError(journal, ex);
            }
            journal.file = null;
        }
    }

    private void onIoError(final OpenJournal journal, final IOException ex)
    {
        ioErrors.incrementAndGet();
        errorHandler.onError(new IOException("journal of room " + journal.room + ": " + ex.getMessage(), ex));
        if (journal.file != null)
        {
            CloseHelper.quietClose(journal.file);
            journal.file = null;
        }
    }

    /**
     * @return a file-system-safe directory name for a room: letters, digits, '-' and '_' as they are, '.' except
     * first, every other UTF-8 byte as {@code %XX}.
     */
    public static String directoryName(final String room)
    {
        final StringBuilder name = new StringBuilder();
        final byte[] utf8 = room.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++)
        {
            final int b = utf8[i] & 0xFF;
            if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '_' ||
                (b == '.' && i > 0))
            {
                name.append((char)b);
            }
            else
            {
                name.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return name.toString();
    }

    /**
     * A journal the writer knows of: writer thread only.
     */
    private static final class OpenJournal
    {
        final String room;
        final GameType type;
        final long startTick;
        final JournalRecorder recorder;
        JournalFile file;
        boolean dirty;

        OpenJournal(final String room, final GameType type, final long startTick, final JournalRecorder recorder)
        {
            this.room = room;
            this.type = type;
            this.startTick = startTick;
            this.recorder = recorder;
        }
    }
}
