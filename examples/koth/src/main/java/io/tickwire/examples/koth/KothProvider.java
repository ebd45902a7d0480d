package io.tickwire.examples.koth;

import io.tickwire.api.GameProvider;
import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;
import io.tickwire.api.JoinOption;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.api.schema.MessageType;

import java.util.List;
import java.util.Set;

/**
 * King of the hill, type {@code koth}: server options {@code koth.worldSize} (units, 100..2000, default 400) and
 * {@code koth.hillRadius} (units, 10..200, default 40); join option {@code scoreLimit} (1..100, default 5).
 */
public final class KothProvider implements GameProvider
{
    public static final String NAME = "koth";
    public static final int STEPS_PER_UNIT = 16;
    public static final int PLAYER_SPEED = 120;
    public static final int MAX_PLAYERS = 16;
    public static final int MAX_SCORE = 100;
    public static final String SCORE_LIMIT = "scoreLimit";

    /** Entity fields. */
    public static final int X = 0;
    public static final int Y = 1;
    public static final int VX = 2;
    public static final int VY = 3;
    public static final int KIND = 4;

    /** Entity kinds. */
    public static final int KIND_HILL = 0;
    public static final int KIND_PLAYER = 1;

    /** Input fields. */
    public static final int MOVE_X = 0;
    public static final int MOVE_Y = 1;

    public static final MessageType SCORED = MessageType.toClients(1, "scored",
        FieldDef.uint("player", Integer.MAX_VALUE), FieldDef.uint("score", MAX_SCORE));
    public static final MessageType WON = MessageType.toClients(2, "won",
        FieldDef.uint("player", Integer.MAX_VALUE), FieldDef.uint("round", Integer.MAX_VALUE));
    public static final MessageType TAUNT = MessageType.fromClients(3, "taunt", 1, 3, FieldDef.text("text", 48));
    public static final MessageType TAUNTED = MessageType.toClients(4, "taunted",
        FieldDef.uint("player", Integer.MAX_VALUE), FieldDef.text("text", 48));

    public String name()
    {
        return NAME;
    }

    public GameType create(final GameSettings settings)
    {
        settings.requireOnly(Set.of("worldSize", "hillRadius"));
        final int worldSize = settings.intOption("worldSize", 400, 100, 2000) * STEPS_PER_UNIT;
        final int hillRadius = settings.intOption("hillRadius", 40, 10, 200) * STEPS_PER_UNIT;
        final int speed = (int)Math.floor(PLAYER_SPEED * STEPS_PER_UNIT / (double)settings.tickRateHz() + 0.5);
        final EntitySchema entities = new EntitySchema(List.of(
            FieldDef.fixed("x", 0, worldSize, STEPS_PER_UNIT, VX, FieldRole.POSITION_X),
            FieldDef.fixed("y", 0, worldSize, STEPS_PER_UNIT, VY, FieldRole.POSITION_Y),
            FieldDef.integer("vx", -speed, speed),
            FieldDef.integer("vy", -speed, speed),
            FieldDef.enumeration("kind", 2)));
        return GameType.builder(NAME)
            .entitySchema(entities)
            .inputSchema(new InputSchema(List.of(
                FieldDef.integer("moveX", -127, 127), FieldDef.integer("moveY", -127, 127))))
            .message(SCORED)
            .message(WON)
            .message(TAUNT)
            .message(TAUNTED)
            .joinOption(JoinOption.integer(SCORE_LIMIT, 1, MAX_SCORE, 5))
            .maxClients(MAX_PLAYERS)
            .maxEntities(MAX_PLAYERS + 1)
            .factory(room -> new KothGame(room, worldSize, hillRadius, speed))
            .build();
    }
}
