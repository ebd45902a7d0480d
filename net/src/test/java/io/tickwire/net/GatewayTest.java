package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.tickwire.api.GameType;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.Notice;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.RoomInfo;
import io.tickwire.sim.ShardRouter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the gateway does when a shard fails: no more "any room" joins go to it, even where it published an open room,
 * and every session routed to it is closed once with 1011; a session whose channel closed is forgotten.
 */
class GatewayTest
{
    private final GameCatalog catalog = LiveServer.catalog();
    private final GameType arena = catalog.get("arena");
    private final NetCounters counters = new NetCounters();
    private final RoomInfo openOnShard0 = new RoomInfo("a", "arena", 1, 10, 0, 1, 0, false, false, Map.of());
    private final Gateway gateway = new Gateway(
        new InputRing[] {new InputRing(64), new InputRing(64)}, new ShardRouter(2), catalog, counters,
        () -> List.of(openOnShard0), new EventLoopOutbounds());

    @Test
    void anyRoomJoinsAvoidAFailedShard()
    {
        assertEquals(0, gateway.shardForAnyRoom(arena), "the published open room");
        gateway.onShardFailed(0);
        for (int i = 0; i < 4; i++)
        {
            assertEquals(1, gateway.shardForAnyRoom(arena));
        }
        assertTrue(gateway.isShardFailed(0));
        assertFalse(gateway.isShardFailed(1));
    }

    @Test
    void theSessionsOfAFailedShardAreClosedOnceWith1011()
    {
        final EmbeddedChannel routed = new EmbeddedChannel();
        final EmbeddedChannel elsewhere = new EmbeddedChannel();
        final EmbeddedChannel gone = new EmbeddedChannel();
        gateway.onJoinRouted(0, gateway.newSession(routed), routed, "a");
        gateway.onJoinRouted(1, gateway.newSession(elsewhere), elsewhere, "b");
        gateway.onJoinRouted(0, gateway.newSession(gone), gone, "");
        gone.close();

        assertEquals(1, gateway.onShardFailed(0));
        assertEquals(0, gateway.onShardFailed(0), "once");
        routed.runPendingTasks();
        final CloseWebSocketFrame close = routed.readOutbound();
        assertEquals(CloseCodes.INTERNAL_ERROR, close.statusCode());
        close.release();
        assertNull(routed.readOutbound(), "one close frame");
        assertFalse(routed.isOpen());
        elsewhere.runPendingTasks();
        assertNull(elsewhere.readOutbound());
        assertTrue(elsewhere.isOpen());
        assertEquals(1, counters.shardFailureCloses.get());
        routed.finishAndReleaseAll();
        elsewhere.finishAndReleaseAll();
    }

    @Test
    void theSessionsOfARoomThatMovedGetNotice12AndClose1001Once()
    {
        final EmbeddedChannel moved = new EmbeddedChannel();
        final EmbeddedChannel stays = new EmbeddedChannel();
        final EmbeddedChannel left = new EmbeddedChannel();
        final Session movedSession = gateway.newSession(moved);
        final Session staysSession = gateway.newSession(stays);
        gateway.onJoinRouted(0, movedSession, moved, "moved");
        gateway.onJoinRouted(0, staysSession, stays, "stays");
        gateway.onJoinRouted(0, gateway.newSession(left), left, "moved");
        left.close();

        assertEquals(1, gateway.closeRoomSessions(List.of("moved", "unknown")));
        assertEquals(0, gateway.closeRoomSessions(List.of("moved")), "once");
        moved.runPendingTasks();
        final ByteBuf notice = moved.readOutbound();
        assertEquals(0x82, notice.readUnsignedByte());
        final byte[] body = new byte[notice.readUnsignedByte()];
        notice.readBytes(body);
        notice.release();
        final Notice decoded = (Notice)new ControlCodec().decode(new UnsafeBuffer(body), 0, body.length);
        assertEquals(Notice.CODE_SERVER_DRAINING, decoded.code());
        assertEquals(0, decoded.detail(), "reconnect at once");
        final CloseWebSocketFrame close = moved.readOutbound();
        assertEquals(CloseCodes.GOING_AWAY, close.statusCode());
        close.release();
        assertNull(moved.readOutbound(), "one close frame");
        stays.runPendingTasks();
        assertNull(stays.readOutbound());
        assertTrue(stays.isOpen());
        assertFalse(movedSession.mayResume(), "no seat held here for a resume into a room that moved");
        assertTrue(staysSession.mayResume());
        assertEquals(1, counters.roomMovedCloses.get());

        assertEquals(1, gateway.closeRoomSessions(null), "every room");
        stays.runPendingTasks();
        assertEquals(2, stays.outboundMessages().size());
        moved.finishAndReleaseAll();
        stays.finishAndReleaseAll();
    }
}
