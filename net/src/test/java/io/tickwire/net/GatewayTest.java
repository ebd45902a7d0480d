package io.tickwire.net;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.tickwire.api.GameType;
import io.tickwire.codec.CloseCodes;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.RoomInfo;
import io.tickwire.sim.ShardRouter;
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
        () -> List.of(openOnShard0));

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
        gateway.onJoinRouted(0, gateway.newSession(routed), routed);
        gateway.onJoinRouted(1, gateway.newSession(elsewhere), elsewhere);
        gateway.onJoinRouted(0, gateway.newSession(gone), gone);
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
}
