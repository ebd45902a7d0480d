package io.tickwire.api;

/**
 * The rules of one room of a game: what a game author implements. The server makes one instance per room with the
 * factory its {@link GameType} declares, and calls it only from the room's shard thread, so an implementation needs
 * no locks and may keep plain fields.
 * <pre>
 *   onCreate(options)                                 once, before anything else
 *   onJoinRequest(player, options) -> accept/refuse   per join; a refusal reaches the client with its reason
 *   onJoin(player)                                    after an accepted request, before the player's welcome
 *   per tick:  onInput(player, input)                 each player's inputs in sequence order, each exactly once
 *              step(tick)                             once
 *              capture(entities)                      once: the state clients may see
 *   onMessage(player, message)                        between ticks, in the order each client sent them
 *   onLeave(player, reason)                           once per joined player: left, disconnected, kicked, ...
 *   onDispose()                                       once, when the room closes (empty past its keep-alive, or
 *                                                     server shutdown, after every onLeave)
 *   save(out)                                         between ticks, when the type has a checkpoint version
 * </pre>
 * A room restored from a checkpoint is made by the factory, then its saved players are seated, then
 * {@link #restore(StateReader, int)} is called instead of {@code onCreate} and their {@code onJoin}s; from there on the
 * lifecycle is as above.
 * Determinism: read time only from the tick number and {@link RoomContext#tickRateHz()}, and randomness only from
 * {@link RoomContext#random()}; then the same inputs replay to the same world.
 * <p>
 * An exception thrown by any callback is caught by the server, counted and reported; the room goes on. A join
 * whose {@link #onJoinRequest} or {@link #onJoin} throws is refused.
 */
public interface Game
{
    /**
     * The room was created. Called once, first.
     *
     * @param options the join options of the client whose join created the room, or every option at its default
     *                for a room the server opened by itself. That client's {@link #onJoinRequest} follows, with
     *                the same options.
     */
    default void onCreate(JoinOptions options)
    {
    }

    /**
     * A client asks to join. The server has checked the room has space and is not locked, and validated the
     * options against the type's declared {@link JoinOption}s: a join with an undeclared option or a bad value is
     * closed (1002) before any room sees it. The player is not yet in {@link RoomContext#player(int)}.
     *
     * @return {@link JoinDecision#ACCEPT}, or {@link JoinDecision#refuse(String)} with a reason for the player.
     */
    default JoinDecision onJoinRequest(Player player, JoinOptions options)
    {
        return JoinDecision.ACCEPT;
    }

    /**
     * The player joined: typically spawn an avatar and {@link Player#setEntityId(int)} it, so interest management
     * centres the player's view on it. The presence list every client sees includes the player from now on.
     */
    void onJoin(Player player);

    /**
     * The player is gone: remove its avatar. After this call the handle must not be used.
     */
    void onLeave(Player player, LeaveReason reason);

    /**
     * Applies one input of the player. Every value has been checked against the input schema's ranges.
     * The {@code input} view is valid only during this call.
     */
    void onInput(Player player, Input input);

    /**
     * A message from the player, of a type clients may send. Every field has been checked against its schema.
     * The {@code message} view is valid only during this call.
     */
    default void onMessage(Player player, Message message)
    {
    }

    /**
     * Advances the world by one fixed tick.
     *
     * @param tick the number of the tick being run, counting from 1.
     */
    void step(long tick);

    /**
     * Writes the state clients may see, in ascending entity id order, one value per field of the entity schema,
     * each within its field's range.
     */
    void capture(EntityWriter entities);

    /**
     * The room is closing; every player has left. Called once, last.
     */
    default void onDispose()
    {
    }

    /**
     * Writes the game's whole state for a checkpoint, so that {@link #restore(StateReader, int)} into a new
     * instance of the game continues exactly as this one would: every field that changes after {@code onCreate},
     * the values derived from the type's configuration excepted. Called between ticks, after a tick's capture, only
     * for a type with a {@link GameType#checkpointVersion()} above 0. Not saved here: the state of
     * {@link RoomContext#random()}, the players and their entity ids, the room's metadata, lock and privacy, and the
     * rewind history: the server keeps those.
     *
     * @throws UnsupportedOperationException by default: the game does not checkpoint.
     */
    default void save(final StateWriter out)
    {
        throw new UnsupportedOperationException("no checkpoints");
    }

    /**
     * Reads back the state {@link #save(StateWriter)} wrote, into a game the factory just made: {@code onCreate}
     * is not called, the saved players are already seated ({@link RoomContext#playerById(int)},
     * {@link Player#entityId()}) with no {@code onJoin}, {@link RoomContext#tick()} is the tick of the save and
     * {@link RoomContext#random()} is back at its state of then. The next callback is the next tick's (or a join's,
     * a leave's or a message's).
     *
     * @param version the {@link GameType#checkpointVersion()} of the game that saved the state: read older ones,
     *                or throw for one the game no longer reads.
     * @throws IllegalStateException when the state is short or invalid: the restore fails and the room is not
     *                               opened.
     */
    default void restore(final StateReader in, final int version)
    {
        throw new UnsupportedOperationException("no checkpoints");
    }
}
