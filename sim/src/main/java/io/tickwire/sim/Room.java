package io.tickwire.sim;

import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;

/**
 * One room: its game, its clients and the entity table captured at its last tick. Owned by one shard thread, which
 * is the only thread that calls it.
 */
final class Room
{
    private final String name;
    private final Game game;
    private final boolean pinned;
    private final RoomClient[] clients;
    private final EntityTable entities;
    private final WorldHistory world;
    private final SnapshotFanOut fanOut;
    private final InterestGrid grid;
    private int clientCount;
    private long tick;
    private boolean faulted;

    /**
     * @param pinned a pinned room lives for the life of the shard; others are disposed when their last client goes.
     */
    Room(final String name, final Game game, final boolean pinned, final ShardConfig config)
    {
        this.name = name;
        this.game = game;
        this.pinned = pinned;
        this.clients = new RoomClient[config.maxClientsPerRoom()];
        final EntitySchema schema = game.schema();
        this.entities = new EntityTable(schema, config.maxEntitiesPerRoom());
        this.world = new WorldHistory(schema.fieldCount(), config.historyWindowTicks());
        this.fanOut = new SnapshotFanOut(config, schema);
        if (fanOut.interestEnabled())
        {
            final FieldDef x = schema.field(schema.positionXField());
            final FieldDef y = schema.field(schema.positionYField());
            this.grid = new InterestGrid(x.min(), y.min(), x.max(), y.max(), fanOut.gridCellSize());
        }
        else
        {
            this.grid = null;
        }
    }

    String name()
    {
        return name;
    }

    Game game()
    {
        return game;
    }

    boolean isPinned()
    {
        return pinned;
    }

    boolean hasSpace()
    {
        return clientCount < clients.length;
    }

    int clientCount()
    {
        return clientCount;
    }

    RoomClient client(final int index)
    {
        return clients[index];
    }

    long tick()
    {
        return tick;
    }

    EntityTable entities()
    {
        return entities;
    }

    WorldHistory world()
    {
        return world;
    }

    InterestGrid grid()
    {
        return grid;
    }

    SnapshotFanOut fanOut()
    {
        return fanOut;
    }

    /**
     * Marks the room's last step as failed part way: its entity table, history and grid may disagree, so no
     * snapshot is built from them until a step succeeds.
     */
    void markFaulted()
    {
        faulted = true;
    }

    boolean isFaulted()
    {
        return faulted;
    }

    /**
     * @return the row of entity {@code id} in the table captured at the last tick, or a negative number.
     */
    int rowOf(final int id)
    {
        return entities.indexOf(id);
    }

    /**
     * Adds a client and spawns its avatar. The caller checked {@link #hasSpace()}.
     *
     * @return the client, or null when the game could not spawn an avatar.
     */
    RoomClient add(final ClientLink link, final String playerName, final ShardConfig config)
    {
        final int entityId = game.onJoin(playerName);
        if (entityId < 0)
        {
            return null;
        }
        final RoomClient client = new RoomClient(
            link, this, entityId, config.pendingInputCapacity(), world.depth(),
            fanOut.interestEnabled() ? config.maxEntitiesPerSnapshot() : config.maxEntitiesPerRoom());
        clients[clientCount++] = client;
        return client;
    }

    /**
     * Removes a client and its avatar.
     */
    void remove(final RoomClient client)
    {
        for (int i = 0; i < clientCount; i++)
        {
            if (clients[i] == client)
            {
                clients[i] = clients[--clientCount];
                clients[clientCount] = null;
                game.onLeave(client.entityId);
                return;
            }
        }
    }

    /**
     * Runs one tick: each client's pending inputs, at most {@code maxInputsPerClient} each, then the game's step,
     * then the capture of the entity table into the history and the interest grid.
     *
     * @return the number of inputs applied.
     */
    int step(final int maxInputsPerClient)
    {
        faulted = false;
        int applied = 0;
        for (int i = 0; i < clientCount; i++)
        {
            applied += clients[i].applyPendingInputs(game, maxInputsPerClient);
        }
        game.step(++tick);
        entities.clear();
        game.capture(entities);
        world.record(tick, entities);
        if (grid != null)
        {
            grid.rebuild(entities, game.schema().positionXField(), game.schema().positionYField());
        }
        return applied;
    }
}
