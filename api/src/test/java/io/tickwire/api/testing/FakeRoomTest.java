package io.tickwire.api.testing;

import io.tickwire.api.EntityWriter;
import io.tickwire.api.Game;
import io.tickwire.api.GameType;
import io.tickwire.api.Input;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Player;
import io.tickwire.api.Rewind;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.api.schema.MessageType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FakeRoomTest
{
    private static final MessageType NOTE = MessageType.toClients(1, "note", FieldDef.uint("value", 9));

    /** One entity per player, its value the player's last input, 0..99 by schema but 0..200 by input. */
    private static final class EchoGame implements Game
    {
        private final int[] values = new int[8];
        private final boolean[] present = new boolean[8];

        public void onJoin(final Player player)
        {
            player.setEntityId(player.id());
            present[player.id()] = true;
        }

        public void onLeave(final Player player, final LeaveReason reason)
        {
            present[player.entityId()] = false;
        }

        public void onInput(final Player player, final Input input)
        {
            values[player.entityId()] = input.get(0);
        }

        public void step(final long tick)
        {
        }

        public void capture(final EntityWriter entities)
        {
            for (int id = 0; id < values.length; id++)
            {
                if (present[id])
                {
                    entities.set(entities.add(id), 0, values[id]);
                }
            }
        }
    }

    private final GameType type = GameType.builder("echo")
        .entitySchema(new EntitySchema(List.of(FieldDef.uint("value", 99))))
        .inputSchema(new InputSchema(List.of(FieldDef.uint("value", 200))))
        .message(NOTE)
        .maxClients(3)
        .factory(room -> new EchoGame())
        .build();

    @Test
    void rewindClampsToTheWindowAndFindsOnlyEntitiesThatStillExist()
    {
        final FakeRoom room = new FakeRoom(type, "r", 30, 1, 5, Map.of());
        final FakePlayer a = room.join("a");
        final FakePlayer b = room.join("b");
        for (int tick = 1; tick <= 10; tick++)
        {
            room.input(a, 0, tick);
            room.runTick();
        }
        assertEquals(8, room.rewind(8).value(a.entityId(), 0));
        final Rewind old = room.rewind(2);
        assertEquals(5, old.tick(), "a window of 5 reaches 5 ticks back from tick 10");
        assertEquals(5, old.value(a.entityId(), 0));
        assertEquals(10, room.rewind(99).tick());
        final int gone = b.entityId();
        room.leave(b, LeaveReason.LEFT);
        room.runTick();
        assertFalse(room.rewind(9).contains(gone));
        assertTrue(room.rewind(9).contains(a.entityId()));
        assertEquals(List.of(8L, 2L, 99L, 9L, 9L), room.rewindRequests());
    }

    @Test
    void holdsTheGameToTheContract()
    {
        final FakeRoom room = new FakeRoom(type);
        final FakePlayer a = room.join("a");
        assertThrows(IllegalArgumentException.class, () -> room.input(a, 0, 201));
        room.input(a, 0, 150);
        assertThrows(IllegalStateException.class, room::runTick, "capture beyond the schema's range");
        assertThrows(IllegalArgumentException.class, () -> room.message(NOTE).putInt(0, 10));
        room.message(NOTE).putInt(0, 9).broadcast();
        assertEquals(List.of(a.id()), room.sent("note").get(0).recipients());
        room.leave(a, LeaveReason.LEFT);
        assertThrows(IllegalStateException.class, a::entityId);
        assertThrows(IllegalArgumentException.class, () -> room.join("x", Map.of("map", "dust")));
    }
}
