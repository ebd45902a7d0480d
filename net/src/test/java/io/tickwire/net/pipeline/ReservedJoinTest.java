package io.tickwire.net.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.ResumeToken;
import io.tickwire.net.Gateway;
import io.tickwire.net.NetCounters;
import io.tickwire.net.ReservedSeat;
import io.tickwire.net.Session;
import io.tickwire.sim.InputEvent;
import io.tickwire.sim.InputRing;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clustered joins in an {@link EmbeddedChannel}: a connection opened with a seat reservation may only JOIN that room
 * of that type by name, and one opened to resume may only RESUME; anything else gets NOTICE 4, exactly one close
 * frame 4008 RESERVATION_MISMATCH, nothing in the ring, the counter, and every buffer released.
 */
class ReservedJoinTest
{
    private static final ReservedSeat SEAT = new ReservedSeat("rid-1", "arena", "arena-7", false);

    private final NetCounters counters = new NetCounters();
    private final InputRing ring = new InputRing(4);
    private final Gateway gateway = ClientMessageHandlerTest.gateway(ring, counters);
    private final ControlCodec controlCodec = new ControlCodec();

    @Test
    void theReservedRoomByNameIsPublishedWithTheReservationId()
    {
        final EmbeddedChannel channel = connection(SEAT);
        final ByteBuf content = join(JoinRequest.named("arena", "arena-7", "ann"));
        channel.writeInbound(new BinaryWebSocketFrame(content));

        final List<InputEvent> joins = new ArrayList<>();
        final List<String> reservations = new ArrayList<>();
        ring.drain(new InputRing.InputHandler()
        {
            protected void onInputEvent(final InputEvent event)
            {
                joins.add(event);
                reservations.add(event.join().reservationId());
            }
        });
        assertEquals(List.of("rid-1"), reservations);
        assertNull(channel.readOutbound());
        assertTrue(channel.isActive());
        assertEquals(0, content.refCnt());
        channel.finishAndReleaseAll();
    }

    @Test
    void anotherRoomAnotherTypeAnyOrCreateIsRefusedWith4008()
    {
        assertMismatch(SEAT, JoinRequest.named("arena", "arena-8", "ann"));
        assertMismatch(SEAT, JoinRequest.named("tag", "arena-7", "ann"));
        assertMismatch(SEAT, JoinRequest.any("arena", "ann"));
        assertMismatch(SEAT, new JoinRequest("arena", JoinRequest.MODE_CREATE, "arena-7", "ann", Map.of()));
        assertMismatch(SEAT, JoinRequest.resume("arena", "arena-7", new ResumeToken(1, 2), 0));
        assertEquals(5, counters.reservationMismatches.get());
    }

    @Test
    void aResumeOnlyConnectionMayOnlyResume()
    {
        assertMismatch(ReservedSeat.RESUME_ONLY, JoinRequest.named("arena", "arena-7", "ann"));

        final EmbeddedChannel channel = connection(ReservedSeat.RESUME_ONLY);
        channel.writeInbound(new BinaryWebSocketFrame(
            join(JoinRequest.resume("arena", "arena-7", new ResumeToken(1, 2), 0))));
        final int[] published = new int[1];
        ring.drain(new InputRing.InputHandler()
        {
            protected void onInputEvent(final InputEvent event)
            {
                published[0]++;
            }
        });
        assertEquals(1, published[0]);
        assertTrue(channel.isActive());
        channel.finishAndReleaseAll();
    }

    private void assertMismatch(final ReservedSeat seat, final JoinRequest request)
    {
        final EmbeddedChannel channel = connection(seat);
        final ByteBuf content = join(request);
        channel.writeInbound(new BinaryWebSocketFrame(content));

        final ByteBuf notice = channel.readOutbound();
        assertEquals(0x82, notice.readUnsignedByte());
        final int length = notice.readUnsignedByte();
        final byte[] bytes = new byte[length];
        notice.readBytes(bytes);
        notice.release();
        final Notice decoded = (Notice)controlCodec.decode(new UnsafeBuffer(bytes), 0, length);
        assertEquals(Notice.CODE_JOIN_REFUSED, decoded.code());
        final CloseWebSocketFrame close = channel.readOutbound();
        assertEquals(CloseCodes.RESERVATION_MISMATCH, close.statusCode());
        close.release();
        assertNull(channel.readOutbound(), "exactly one close frame");
        assertFalse(channel.isActive());
        assertEquals(0, content.refCnt());
        final int[] published = new int[1];
        ring.drain(new InputRing.InputHandler()
        {
            protected void onInputEvent(final InputEvent event)
            {
                published[0]++;
            }
        });
        assertEquals(0, published[0], "nothing reaches the shard");
        assertFalse(channel.finishAndReleaseAll());
    }

    private EmbeddedChannel connection(final ReservedSeat seat)
    {
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.attr(Session.RESERVED_SEAT).set(seat);
        channel.pipeline().addLast(new ClientMessageHandler(gateway));
        channel.pipeline().fireUserEventTriggered(new WebSocketServerProtocolHandler.HandshakeComplete(
            "/ws", new DefaultHttpHeaders(), WireFormat.SUBPROTOCOL));
        return channel;
    }

    private ByteBuf join(final JoinRequest request)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final int length = controlCodec.encode(request, buffer, 0);
        return Unpooled.directBuffer(length).writeBytes(buffer.byteArray(), 0, length);
    }
}
