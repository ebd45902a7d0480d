package io.tickwire.sim;

import io.tickwire.api.Player;
import io.tickwire.api.schema.EntitySchema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One request to look inside a room, for operators and tests: its players and their avatars' field values. The
 * network side creates it and publishes it into the owning shard's ring ({@link InputRing#tryPublishInspection});
 * the shard answers on its own thread, between ticks, from the state of its last tick, and completes
 * {@link #answer()}; whoever waits on the future reads the answer on its own thread. The answer is immutable.
 * <p>
 * A cold path: a request allocates its answer. The tick path allocates nothing for inspections: only a drained
 * request costs anything.
 */
public final class RoomInspection
{
    private final String roomName;
    private final CompletableFuture<View> answer = new CompletableFuture<>();

    /**
     * @param roomName the room to look into.
     */
    public RoomInspection(final String roomName)
    {
        this.roomName = roomName;
    }

    public String roomName()
    {
        return roomName;
    }

    /**
     * @return completed by the shard with the room's view, or with null when the shard has no room of that name.
     */
    public CompletableFuture<View> answer()
    {
        return answer;
    }

    /**
     * Answers with {@code room}'s state as of its last tick. Shard thread only.
     *
     * @param room the room of that name on this shard, or null.
     */
    void answerFrom(final Room room)
    {
        if (room == null)
        {
            answer.complete(null);
            return;
        }
        final EntityTable entities = room.entities();
        final EntitySchema schema = room.type().entitySchema();
        final List<PlayerView> players = new ArrayList<>(room.playerCount());
        for (int i = 0; i < room.playerCount(); i++)
        {
            final Player player = room.player(i);
            final int row = player.entityId() == Player.NO_ENTITY ? -1 : entities.indexOf(player.entityId());
            final Map<String, Integer> fields = new LinkedHashMap<>();
            for (int field = 0; row >= 0 && field < schema.fieldCount(); field++)
            {
                fields.put(schema.field(field).name(), entities.value(row, field));
            }
            players.add(new PlayerView(player.id(), player.name(), player.entityId(),
                Collections.unmodifiableMap(fields)));
        }
        answer.complete(new View(room.name(), room.typeName(), room.tick(), List.copyOf(players)));
    }

    /**
     * A room as its shard saw it.
     *
     * @param name    the room's name.
     * @param type    its game type.
     * @param tick    the tick the values are from: the room's last.
     * @param players its players, in seat order.
     */
    public record View(String name, String type, long tick, List<PlayerView> players)
    {
    }

    /**
     * One player of a room.
     *
     * @param playerId its id in the room.
     * @param name     the name it joined with.
     * @param entityId its avatar, or -1 for none.
     * @param fields   its avatar's entity field values by schema field name, in schema order, raw (fixed point as
     *                 the wire carries it); empty without an avatar, or when the avatar was not captured.
     */
    public record PlayerView(int playerId, String name, int entityId, Map<String, Integer> fields)
    {
    }
}
