package io.tickwire.net;

import io.tickwire.api.EntityWriter;
import io.tickwire.api.Game;
import io.tickwire.api.GameType;
import io.tickwire.api.Input;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Player;
import io.tickwire.api.RoomContext;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import io.tickwire.api.schema.InputSchema;

import java.time.Duration;
import java.util.List;

/**
 * A game for the supervision tests whose step fails by the room's name: {@code stack-*} throws a
 * {@link StackOverflowError}, {@code oom-*} an {@link OutOfMemoryError}, {@code bad-*} an
 * {@link IllegalStateException}; any other room steps normally. Clients may create rooms.
 */
final class FailingGame implements Game
{
    static final String TYPE = "failing";

    private final RoomContext room;

    private FailingGame(final RoomContext room)
    {
        this.room = room;
    }

    static GameType type()
    {
        return GameType.builder(TYPE)
            .entitySchema(new EntitySchema(List.of(
                FieldDef.fixed("x", 0, 1000, 1, FieldDef.NO_PREDICTOR, FieldRole.POSITION_X),
                FieldDef.fixed("y", 0, 1000, 1, FieldDef.NO_PREDICTOR, FieldRole.POSITION_Y))))
            .inputSchema(new InputSchema(List.of(FieldDef.uint("buttons", 1))))
            .maxClients(8)
            .maxEntities(8)
            .emptyRoomKeepAlive(Duration.ofSeconds(10))
            .clientsMayCreateRooms(true)
            .maxRooms(16)
            .factory(FailingGame::new)
            .build();
    }

    public void onJoin(final Player player)
    {
    }

    public void onLeave(final Player player, final LeaveReason reason)
    {
    }

    public void onInput(final Player player, final Input input)
    {
    }

    public void step(final long tick)
    {
        if (room.name().startsWith("stack-"))
        {
            throw new StackOverflowError("a game recursing without end");
        }
        if (room.name().startsWith("oom-"))
        {
            throw new OutOfMemoryError("a game that filled the heap");
        }
        if (room.name().startsWith("bad-"))
        {
            throw new IllegalStateException("a game that fails every tick");
        }
    }

    public void capture(final EntityWriter entities)
    {
    }
}
