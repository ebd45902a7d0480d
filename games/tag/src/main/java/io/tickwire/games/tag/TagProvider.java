package io.tickwire.games.tag;

import io.tickwire.api.Chat;
import io.tickwire.api.GameProvider;
import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;
import io.tickwire.api.JoinOption;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.MessageType;

import java.time.Duration;

/**
 * Offers {@link TagGame} as room type {@value #NAME}. Options ({@code --game-option tag.key=value}):
 * {@code worldSize} (units, 100..4000, default 600), {@code playerSpeed} (units/s, 10..1000, default 150).
 * Join options: {@code scoreLimit} (1..100, default 10; the room's creator sets it) and {@code team}
 * ({@code red}, {@code blue}, or empty for either). Up to {@value #MAX_CLIENTS} players a room, one entity each.
 */
public final class TagProvider implements GameProvider
{
    public static final String NAME = "tag";
    public static final int MAX_CLIENTS = 64;
    private static final int MAX_ID = Integer.MAX_VALUE;

    /** Kill feed, to everyone: {@code shooter} tagged {@code target} (player ids). */
    public static final MessageType TAGGED = MessageType.toClients(1, "tagged",
        FieldDef.uint("shooter", MAX_ID), FieldDef.uint("target", MAX_ID));

    /**
     * Chat, both ways ({@link Chat}): a client sends {@code player} 0 and up to 96 bytes of {@code text} (5 a second,
     * bursts of 10); the room sends it to everyone with {@code player} set to the sender's id.
     */
    public static final MessageType CHAT = Chat.type(2);

    /** The layout {@link TagGame#save} writes; rooms of this type are checkpointed. */
    public static final int CHECKPOINT_VERSION = 1;

    /**
     * Round events, to everyone: {@code event} 0 = a round starts (winner 2, scores 0), 1 = a round is over (winner
     * 0 red or 1 blue, final scores).
     */
    public static final MessageType ROUND = MessageType.toClients(3, "round",
        FieldDef.enumeration("event", 2), FieldDef.uint("round", MAX_ID), FieldDef.enumeration("winner", 3),
        FieldDef.uint("red", 100), FieldDef.uint("blue", 100));

    public static final JoinOption SCORE_LIMIT = JoinOption.integer("scoreLimit", 1, 100, 10);
    public static final JoinOption TEAM = JoinOption.text("team", 16, "");

    public String name()
    {
        return NAME;
    }

    public GameType create(final GameSettings settings)
    {
        final TagConfig config = TagConfig.from(settings);
        return GameType.builder(NAME)
            .entitySchema(TagGame.entitySchema(config))
            .inputSchema(TagGame.INPUT_SCHEMA)
            .message(TAGGED)
            .message(CHAT)
            .message(ROUND)
            .joinOption(SCORE_LIMIT)
            .joinOption(TEAM)
            .maxClients(MAX_CLIENTS)
            .maxEntities(MAX_CLIENTS)
            .clientsMayCreateRooms(true)
            .maxRooms(200)
            .emptyRoomKeepAlive(Duration.ofSeconds(config.keepAliveSeconds()))
            .checkpointVersion(CHECKPOINT_VERSION)
            .factory(room -> new TagGame(room, config))
            .build();
    }
}
