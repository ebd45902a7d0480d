package io.tickwire.sim;

import io.tickwire.api.GameType;
import io.tickwire.api.Identity;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.schema.FieldType;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.MessageCodec;
import io.tickwire.codec.MessageReader;
import io.tickwire.codec.SnapshotDecoder;
import io.tickwire.codec.SnapshotHeaderFlyweight;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.PresenceDecoder;
import io.tickwire.codec.control.PresenceEntry;
import io.tickwire.codec.control.ResumeToken;
import io.tickwire.codec.control.Welcome;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A client of a {@link ShardDriver}: sends what a real client sends (through the driver, as the network layer would
 * publish it) and decodes, strictly and in order, only what its link received: the welcome, notices, stream
 * messages (checking their stream sequence goes 1, 2, 3 ...), presence, and snapshots.
 */
final class TestClient
{
    RecordingLink link;
    final GameType type;
    /** Every frame read, one line each (one per presence entry), in the order received. */
    final List<String> log = new ArrayList<>();
    final List<Notice> notices = new ArrayList<>();
    /** Every presence entry received, the initial list included. */
    final List<PresenceEntry> presenceEntries = new ArrayList<>();
    /** The presence list as built from the entries received: player id to {@link #describe}. */
    final Map<Integer, String> presence = new LinkedHashMap<>();
    /** Snapshot headers: tick, snapshot seq, last input seq, message ack (-1 when not carried), baseline seq. */
    final List<int[]> snapshots = new ArrayList<>();
    /** Room messages, each as its type name and fields. */
    final List<String> messages = new ArrayList<>();
    Welcome welcome;
    /** The welcome before the last resume, or null. */
    Welcome previousWelcome;
    SnapshotDecoder decoder;
    /** When true the client acks the newest snapshot it applied; otherwise {@link #ack}, as set by the test. */
    boolean autoAck = true;
    int ack;
    int lastStreamSeq;
    int inputSeq;
    int messageSeq;

    private final ShardDriver driver;
    private final ControlCodec controlCodec = new ControlCodec();
    private final PresenceDecoder presenceDecoder = new PresenceDecoder();
    private final SnapshotHeaderFlyweight header = new SnapshotHeaderFlyweight();
    private final MessageReader reader = new MessageReader();
    private final MessageCodec messageCodec;
    private int read;

    TestClient(final ShardDriver driver, final RecordingLink link, final GameType type)
    {
        this.driver = driver;
        this.link = link;
        this.type = type;
        this.messageCodec = new MessageCodec(type);
    }

    static String describe(final String name, final int entityId, final Map<String, String> metadata)
    {
        return name + " e" + entityId + " " + metadata;
    }

    /**
     * Reads every frame received since the last call.
     */
    TestClient read()
    {
        while (read < link.frames.size())
        {
            final byte[] frame = link.frames.get(read++);
            final UnsafeBuffer buffer = new UnsafeBuffer(frame);
            switch (frame[0])
            {
                case WireFormat.TYPE_WELCOME:
                    onWelcome(assertInstanceOf(Welcome.class, controlCodec.decode(buffer, 0, frame.length)));
                    break;
                case WireFormat.TYPE_NOTICE:
                    final Notice notice = assertInstanceOf(Notice.class, controlCodec.decode(buffer, 0, frame.length));
                    notices.add(notice);
                    log.add("notice " + notice.code() + " " + notice.text());
                    break;
                case WireFormat.TYPE_PRESENCE:
                    onPresence(buffer, frame.length);
                    break;
                case WireFormat.TYPE_ROOM_MESSAGE:
                    onRoomMessage(buffer, frame.length);
                    break;
                case WireFormat.TYPE_SNAPSHOT:
                    onSnapshot(buffer, frame.length);
                    break;
                default:
                    fail("unexpected frame type " + frame[0]);
            }
        }
        return this;
    }

    /**
     * @return the stream sequences of the stream messages received, checked to go 1, 2, 3 ...
     */
    int streamMessages()
    {
        read();
        return lastStreamSeq;
    }

    int ackToSend()
    {
        read();
        return autoAck ? decoder == null ? 0 : decoder.ackSeq() : ack;
    }

    void input(final int viewTick, final int... values)
    {
        driver.publishInput(link, type, ackToSend(), ++inputSeq, viewTick, values);
    }

    void say(final String text)
    {
        driver.publishMessage(link, type, ackToSend(), ++messageSeq, RecordingGame.SAY, text);
    }

    /**
     * Sends a SAY with the given message sequence, as a client resending an unacknowledged message does.
     */
    void say(final int seq, final String text)
    {
        driver.publishMessage(link, type, ackToSend(), seq, RecordingGame.SAY, text);
        messageSeq = Math.max(messageSeq, seq);
    }

    /**
     * Sends an input with the given sequence, as a client resending an input does.
     */
    void inputWithSeq(final int seq, final int viewTick, final int... values)
    {
        driver.publishInput(link, type, ackToSend(), seq, viewTick, values);
        inputSeq = Math.max(inputSeq, seq);
    }

    /**
     * Resumes on a new connection with the last welcome's token, acknowledging the stream received so far: the
     * client keeps its stream position, presence and sequences, and waits for a new welcome and a full snapshot.
     */
    TestClient resume(final long sessionId, final Identity identity)
    {
        return resume(sessionId, identity, (welcome != null ? welcome : previousWelcome).resumeToken(),
            streamMessages());
    }

    TestClient resume(final long sessionId, final Identity identity, final ResumeToken token, final int messageAck)
    {
        read();
        if (welcome != null)
        {
            previousWelcome = welcome;
            welcome = null;
        }
        link = driver.publishJoin(sessionId,
            JoinRequest.resume(type.name(), previousWelcome.room(), token, messageAck), identity);
        read = 0;
        return this;
    }

    void message(final MessageType messageType, final Object... fields)
    {
        driver.publishMessage(link, type, ackToSend(), ++messageSeq, messageType, fields);
    }

    /**
     * Sends an ACK, as a client does about once a tick: of the newest snapshot applied (or {@link #ack}, when not
     * {@link #autoAck}) and of every stream message received so far. A client that has never acknowledged a snapshot
     * gets a full one only every few ticks, so tests that want one every tick acknowledge (see
     * {@link ShardDriver#tickAcknowledging}).
     */
    void acknowledge()
    {
        driver.publishAck(link, ackToSend(), streamMessages());
    }

    void ackStream(final int messageAck)
    {
        driver.publishAck(link, ackToSend(), messageAck);
    }

    void ping()
    {
        driver.publishPing(link, ackToSend());
    }

    void leave()
    {
        driver.publishLeave(link, ackToSend());
    }

    void closed(final LeaveReason reason)
    {
        link.open = false;
        driver.publishClosed(link, reason);
    }

    int lastSnapshotSeq()
    {
        read();
        return snapshots.get(snapshots.size() - 1)[1];
    }

    int[] lastSnapshot()
    {
        read();
        return snapshots.get(snapshots.size() - 1);
    }

    private void onWelcome(final Welcome decoded)
    {
        assertNull(welcome, "one welcome");
        welcome = decoded;
        decoder = new SnapshotDecoder(decoded.entitySchema(), decoded.historyWindowTicks() + 2, 4096);
        log.add(previousWelcome == null ? "welcome" : "welcome again");
    }

    private void onPresence(final UnsafeBuffer buffer, final int length)
    {
        assertNotNull(welcome, "presence after the welcome");
        final List<PresenceEntry> entries = presenceDecoder.decode(buffer, 0, length);
        assertNotNull(entries, "a well-formed presence message");
        onStreamSeq(presenceDecoder.seq());
        for (final PresenceEntry entry : entries)
        {
            presenceEntries.add(entry);
            switch (entry.op())
            {
                case PresenceEntry.OP_LEAVE:
                    assertNotNull(presence.remove(entry.playerId()), "leave of a player in the list");
                    log.add("leave " + entry.playerId() + " " + LeaveReason.fromCode(entry.leaveReason()));
                    break;
                case PresenceEntry.OP_JOIN:
                    assertNull(presence.put(entry.playerId(), describe(entry)), "join of a new player");
                    log.add("join " + entry.playerId());
                    break;
                default:
                    assertNotNull(presence.put(entry.playerId(), describe(entry)), "update of a player in the list");
                    log.add("update " + entry.playerId());
                    break;
            }
        }
    }

    private void onRoomMessage(final UnsafeBuffer buffer, final int length)
    {
        assertNotNull(welcome, "messages after the welcome");
        assertTrue(messageCodec.validateRoom(buffer, 0, length), "a valid room message");
        onStreamSeq(messageCodec.seq());
        final MessageType messageType = messageCodec.type();
        reader.wrap(messageType, buffer, messageCodec.fieldsOffset(), messageCodec.fieldsLength());
        final StringBuilder text = new StringBuilder(messageType.name());
        for (int i = 0; i < messageType.fieldCount(); i++)
        {
            final FieldType fieldType = messageType.field(i).type();
            text.append(' ').append(fieldType == FieldType.TEXT ? reader.getText(i) :
                fieldType == FieldType.BYTES ? "bytes" + reader.length(i) : Integer.toString(reader.getInt(i)));
        }
        messages.add(text.toString());
        log.add("message " + text);
    }

    private void onSnapshot(final UnsafeBuffer buffer, final int length)
    {
        assertNotNull(welcome, "snapshots after the welcome");
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(buffer, 0, length));
        header.wrap(buffer, 0);
        snapshots.add(new int[] {header.tick(), header.snapshotSeq(), header.lastInputSeq(),
            header.hasMessageAck() ? header.messageAck() : -1, header.baselineSeq()});
        log.add("snapshot " + header.tick());
    }

    private void onStreamSeq(final int seq)
    {
        assertEquals(lastStreamSeq + 1, seq, "stream sequence of client " + link.sessionId);
        lastStreamSeq = seq;
    }

    private static String describe(final PresenceEntry entry)
    {
        return describe(entry.name(), entry.entityId(), entry.metadata());
    }
}
