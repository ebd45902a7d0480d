package io.tickwire.sim;

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
    private int clientCount;
    private long tick;

    /**
     * @param pinned a pinned room lives for the life of the shard; others are disposed when their last client goes.
     */
    Room(final String name, final Game game, final boolean pinned, final int maxClients, final int maxEntities)
    {
        this.name = name;
        this.game = game;
        this.pinned = pinned;
        this.clients = new RoomClient[maxClients];
        this.entities = new EntityTable(maxEntities);
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

    /**
     * Adds a client and spawns its avatar. The caller checked {@link #hasSpace()}.
     *
     * @return the client, or null when the game could not spawn an avatar.
     */
    RoomClient add(final ClientLink link, final String playerName, final int pendingInputCapacity)
    {
        final int entityId = game.onJoin(playerName);
        if (entityId < 0)
        {
            return null;
        }
        final RoomClient client = new RoomClient(link, this, entityId, pendingInputCapacity);
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
     * then the capture of the entity table.
     *
     * @return the number of inputs applied.
     */
    int step(final int maxInputsPerClient)
    {
        int applied = 0;
        for (int i = 0; i < clientCount; i++)
        {
            applied += clients[i].applyPendingInputs(game, maxInputsPerClient);
        }
        game.step(++tick);
        entities.clear();
        game.capture(entities);
        return applied;
    }
}
