package io.tickwire.net.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.tickwire.api.EntityWriter;
import io.tickwire.api.Game;
import io.tickwire.api.GameType;
import io.tickwire.api.Identity;
import io.tickwire.api.Input;
import io.tickwire.api.JoinDecision;
import io.tickwire.api.JoinOptions;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Player;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.net.EventLoopOutbounds;
import io.tickwire.net.Gateway;
import io.tickwire.net.NetCounters;
import io.tickwire.net.Session;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.RoomQuota;
import io.tickwire.sim.ShardAgent;
import io.tickwire.sim.ShardConfig;
import io.tickwire.sim.ShardCounters;
import io.tickwire.sim.ShardRouter;
import io.tickwire.sim.TickInputGather;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The identity the upgrade guard verified reaches the game: a connection in an {@link EmbeddedChannel} with an
 * identity on its channel joins through a real ring into a shard driven by hand, whose game records what
 * {@link Player#identity()} says in {@code onJoinRequest} and {@code onJoin}.
 */
class JoinIdentityTest
{
    private static final ShardConfig SHARD_CONFIG = ShardConfig.defaults();

    private final List<Identity> seenAtRequest = new ArrayList<>();
    private final List<Identity> seenAtJoin = new ArrayList<>();
    private final GameType type = GameType.builder("probe")
        .entitySchema(new EntitySchema(List.of(FieldDef.uint("hp", 255))))
        .inputSchema(new InputSchema(List.of(FieldDef.uint("buttons", 255))))
        .factory(room -> new IdentityProbe())
        .build();
    private final GameCatalog catalog = new GameCatalog(List.of(type));
    private final NetCounters counters = new NetCounters();
    private final InputRing ring = new InputRing(64);
    private final EventLoopOutbounds outbounds = new EventLoopOutbounds();
    private final Gateway gateway =
        new Gateway(new InputRing[] {ring}, new ShardRouter(1), catalog, counters, List::of, outbounds);
    private long nowNs = 1_000;
    private final ShardAgent shard = new ShardAgent(
        0, SHARD_CONFIG, catalog, new RoomQuota(10, catalog), ring, new ShardRouter(1), () -> nowNs,
        error -> fail(error), new ShardCounters(), List.of(), TickInputGather.NONE, outbounds);

    @Test
    void theVerifiedIdentityReachesTheGame()
    {
        final Identity identity = new Identity("user-42", "Ada", Map.of("team", "red"));
        joinWith(identity);
        assertEquals(List.of(identity), seenAtRequest);
        assertEquals(List.of(identity), seenAtJoin);
    }

    @Test
    void withoutAuthenticationTheGameSeesNoIdentity()
    {
        joinWith(null);
        assertEquals(1, seenAtRequest.size());
        assertNull(seenAtRequest.get(0));
    }

    private void joinWith(final Identity identity)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new ClientMessageHandler(gateway));
        channel.attr(Session.IDENTITY).set(identity);
        channel.pipeline().fireUserEventTriggered(new WebSocketServerProtocolHandler.HandshakeComplete(
            "/ws", new DefaultHttpHeaders(), WireFormat.SUBPROTOCOL));
        assertNull(channel.attr(Session.IDENTITY).get(), "the session took the identity off the channel");

        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final int length = new ControlCodec().encode(JoinRequest.named("probe", "room-1", "player"), buffer, 0);
        final ByteBuf content = Unpooled.buffer(length).writeBytes(buffer.byteArray(), 0, length);
        channel.writeInbound(new BinaryWebSocketFrame(content));
        assertEquals(0, content.refCnt());

        for (int i = 0; i < 3; i++)
        {
            shard.doWork();
            nowNs += SHARD_CONFIG.tickPeriodNs();
            channel.runPendingTasks();
        }
        assertEquals(1, seenAtJoin.size(), "the join went through the ring to the game");
        channel.finishAndReleaseAll();
    }

    private final class IdentityProbe implements Game
    {
        public JoinDecision onJoinRequest(final Player player, final JoinOptions options)
        {
            seenAtRequest.add(player.identity());
            return JoinDecision.ACCEPT;
        }

        public void onJoin(final Player player)
        {
            seenAtJoin.add(player.identity());
        }

        public void onLeave(final Player player, final LeaveReason reason)
        {
        }

        public void onInput(final Player player, final Input input)
        {
        }

        public void step(final long tick)
        {
        }

        public void capture(final EntityWriter entities)
        {
        }
    }
}
