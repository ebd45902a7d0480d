package io.tickwire.bots;

import io.tickwire.api.Message;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.SnapshotDecoder;

import java.util.List;

/**
 * The brain of {@link GameKind#ARENA}, and the movement of every brain: each input period its {@link BotScript}
 * picks a move, written to the input fields named {@value #MOVE_X} and {@value #MOVE_Y} scaled to their ranges.
 * Buttons stay at 0, and the brain sends no message. A schema without those fields gets the defaults.
 * <p>
 * Owned by the bot's event loop.
 */
final class ArenaBrain implements GameBrain
{
    static final String MOVE_X = "moveX";
    static final String MOVE_Y = "moveY";
    static final String BUTTONS = "buttons";

    private final BotScript script;
    private InputSchema schema = InputSchema.EMPTY;
    private int moveXField = InputValues.ABSENT;
    private int moveYField = InputValues.ABSENT;
    private int entityId = -1;

    /**
     * @param script how the bot moves.
     */
    ArenaBrain(final BotScript script)
    {
        this.script = script;
    }

    public void onWelcome(
        final InputSchema inputSchema, final List<MessageType> messageTypes, final int playerId, final int entityId)
    {
        this.schema = inputSchema;
        this.entityId = entityId;
        moveXField = inputSchema.indexOf(MOVE_X);
        moveYField = inputSchema.indexOf(MOVE_Y);
    }

    public void onInputPeriod(
        final SnapshotDecoder view, final int[] values, final MessageOutbox outbox, final long nowNs)
    {
        script.step(view, entityId);
        InputValues.putMove(schema, values, moveXField, script.moveX());
        InputValues.putMove(schema, values, moveYField, script.moveY());
    }

    public long onRoomMessage(final Message message, final PresenceList presence, final long nowNs)
    {
        return NOT_OWN;
    }

    /**
     * @return the input schema of the current session.
     */
    InputSchema schema()
    {
        return schema;
    }

    /**
     * @return the bot's own entity in the current session, or -1.
     */
    int entityId()
    {
        return entityId;
    }
}
