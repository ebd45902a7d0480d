package io.tickwire.games.tag;

import io.tickwire.api.Chat;
import io.tickwire.api.EntityWriter;
import io.tickwire.api.Game;
import io.tickwire.api.Input;
import io.tickwire.api.JoinDecision;
import io.tickwire.api.JoinOptions;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Message;
import io.tickwire.api.Player;
import io.tickwire.api.Rewind;
import io.tickwire.api.RoomContext;
import io.tickwire.api.StateReader;
import io.tickwire.api.StateWriter;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import io.tickwire.api.schema.InputSchema;

import java.util.List;

import static io.tickwire.games.tag.TagConfig.STEPS_PER_UNIT;

/**
 * Team tag: two teams, red and blue, in a square world; a player tags an opponent with a hit-scan shot, the
 * shooter's team scores, and the first team to the room's score limit wins the round. After an intermission the
 * next round starts with scores reset and everyone respawned.
 * <p>
 * <b>Input to motion</b> (a client predicts its avatar with exactly this; integer arithmetic only). {@code S} is
 * {@link TagConfig#speedSteps()}, steps (1/16 unit) per tick, 80 by default at 30 Hz. An input sets the intent,
 * kept until the next input (and across respawns):
 * <pre>
 *   m = max(127, ceilSqrt(moveX * moveX + moveY * moveY))
 *   intentX = moveX * S / m;  intentY = moveY * S / m          (integer division, truncating toward zero)
 * </pre>
 * Each tick, after that tick's inputs: {@code x' = clamp(x + intentX, 0, worldSize * 16)}, {@code vx = x' - x}, and
 * the same for y. {@code aim} takes effect at once.
 * <p>
 * <b>Shots</b>: while buttons bit 0 is held and the player's cooldown ({@link TagConfig#fireCooldownTicks()}) is
 * over, each input fires a ray from the shooter's current position in direction
 * {@code (cos(aim * 2 pi / 1024), sin(aim * 2 pi / 1024))}, {@link TagConfig#SHOT_RANGE} units long. It is tested
 * against opponents where the shooter saw them: at the input's view tick, through {@link RoomContext#rewind}. The
 * room reaches back {@link RoomContext#rewindWindowTicks()} ticks; an older view tick is clamped to the oldest tick
 * remembered, and a view tick of 0 uses the newest. An opponent is hit when its rewound centre lies along the ray
 * (0..range) within {@link TagConfig#HIT_RADIUS} units of it; the nearest is tagged. Not hittable: invulnerable
 * players, and players respawned after the view tick. Firing ends the shooter's own invulnerability. No shots during
 * the intermission.
 * <p>
 * A tagged player respawns at a random point of its team's quarter (red left, blue right), invulnerable for
 * {@link TagConfig#invulnerableTicks()}. Players idle (no input) for {@link TagConfig#idleKickTicks()} are kicked.
 * Deterministic: ticks for time, {@link RoomContext#random()} for spawns. No allocation per tick or input; hits,
 * chat and rounds allocate a little (metadata strings). Shard thread only.
 */
public final class TagGame implements Game
{
    /** Room metadata key: the side of the square world, in units; set at creation. */
    public static final String WORLD_SIZE_KEY = "worldSize";
    /** Room metadata key: {@code S} of the input-to-motion rule, in steps (1/16 unit) per tick; set at creation. */
    public static final String SPEED_STEPS_KEY = "speedSteps";

    public static final int FIELD_X = 0;
    public static final int FIELD_Y = 1;
    public static final int FIELD_VX = 2;
    public static final int FIELD_VY = 3;
    public static final int FIELD_AIM = 4;
    public static final int FIELD_TEAM = 5;
    public static final int FIELD_FLAGS = 6;
    /** {@link #FIELD_FLAGS} bit: the player cannot be tagged. */
    public static final int FLAG_INVULNERABLE = 1;

    public static final int INPUT_MOVE_X = 0;
    public static final int INPUT_MOVE_Y = 1;
    public static final int INPUT_AIM = 2;
    public static final int INPUT_BUTTONS = 3;
    public static final int BUTTON_FIRE = 1;
    public static final int MAX_MOVE = 127;
    public static final int AIM_DIRECTIONS = 1024;

    public static final int RED = 0;
    public static final int BLUE = 1;
    public static final int NO_TEAM = 2;
    public static final int ROUND_START = 0;
    public static final int ROUND_OVER = 1;
    private static final String[] TEAM_NAMES = {"red", "blue"};

    public static final InputSchema INPUT_SCHEMA = new InputSchema(List.of(
        FieldDef.integer("moveX", -MAX_MOVE, MAX_MOVE),
        FieldDef.integer("moveY", -MAX_MOVE, MAX_MOVE),
        FieldDef.uint("aim", AIM_DIRECTIONS - 1),
        FieldDef.uint("buttons", 255)));

    private static final double[] COS = new double[AIM_DIRECTIONS];
    private static final double[] SIN = new double[AIM_DIRECTIONS];

    static
    {
        for (int aim = 0; aim < AIM_DIRECTIONS; aim++)
        {
            final double angle = aim * 2 * Math.PI / AIM_DIRECTIONS;
            COS[aim] = StrictMath.cos(angle);
            SIN[aim] = StrictMath.sin(angle);
        }
    }

    private static final class Avatar
    {
        Player player;
        int entityId;
        int team;
        int x;
        int y;
        int vx;
        int vy;
        int intentX;
        int intentY;
        int aim;
        int score;
        long nextFireTick;
        long invulnerableUntilTick;
        long respawnTick;
        long lastInputTick;
    }

    private final RoomContext room;
    private final TagConfig config;
    private final int maxPosition;
    private final Avatar[] avatars = new Avatar[TagProvider.MAX_CLIENTS];
    private final int[] teamSizes = new int[2];
    private final int[] teamScores = new int[2];
    private int count;
    private int nextEntityId = 1;
    private int scoreLimit;
    private int round;
    private long intermissionEndTick;

    public TagGame(final RoomContext room, final TagConfig config)
    {
        this.room = room;
        this.config = config;
        this.maxPosition = config.maxPosition();
    }

    /**
     * Tag's entity schema: x, y (1/16 unit, predicted by vx, vy), vx, vy (steps per tick), aim (0..1023), team
     * (0 red, 1 blue), flags (bit 0 invulnerable).
     */
    public static EntitySchema entitySchema(final TagConfig config)
    {
        final int speed = config.speedSteps();
        return new EntitySchema(List.of(
            FieldDef.fixed("x", 0, config.maxPosition(), STEPS_PER_UNIT, FIELD_VX, FieldRole.POSITION_X),
            FieldDef.fixed("y", 0, config.maxPosition(), STEPS_PER_UNIT, FIELD_VY, FieldRole.POSITION_Y),
            FieldDef.fixed("vx", -speed, speed, STEPS_PER_UNIT, FieldDef.NO_PREDICTOR, FieldRole.NONE),
            FieldDef.fixed("vy", -speed, speed, STEPS_PER_UNIT, FieldDef.NO_PREDICTOR, FieldRole.NONE),
            FieldDef.uint("aim", AIM_DIRECTIONS - 1),
            FieldDef.enumeration("team", 2),
            FieldDef.uint("flags", 255)));
    }

    public void onCreate(final JoinOptions options)
    {
        scoreLimit = options.intValue(TagProvider.SCORE_LIMIT.name());
        round = 1;
        room.setMetadata("mode", "team-tag");
        room.setMetadata("scoreLimit", Integer.toString(scoreLimit));
        room.setMetadata(WORLD_SIZE_KEY, Integer.toString(config.worldSize()));
        room.setMetadata(SPEED_STEPS_KEY, Integer.toString(config.speedSteps()));
        publishRound();
    }

    /**
     * Refuses a team that is not red or blue, or one that already has more players than the other.
     */
    public JoinDecision onJoinRequest(final Player player, final JoinOptions options)
    {
        final String team = options.text(TagProvider.TEAM.name());
        if (team.isEmpty())
        {
            return JoinDecision.ACCEPT;
        }
        final int wanted = teamIndex(team);
        if (wanted < 0)
        {
            return JoinDecision.refuse("team must be red or blue, or empty for either");
        }
        if (teamSizes[wanted] > teamSizes[1 - wanted])
        {
            return JoinDecision.refuse("team " + team + " is full (" + teamSizes[RED] + " red, " + teamSizes[BLUE] +
                " blue): join " + TEAM_NAMES[1 - wanted] + " or either");
        }
        return JoinDecision.ACCEPT;
    }

    /**
     * Puts the player on the team it asked for, or the smaller one (red on a tie), and spawns its avatar.
     */
    public void onJoin(final Player player)
    {
        final int wanted = teamIndex(player.options().text(TagProvider.TEAM.name()));
        final Avatar avatar = new Avatar();
        avatar.player = player;
        avatar.entityId = nextEntityId++;
        avatar.team = wanted >= 0 ? wanted : teamSizes[RED] <= teamSizes[BLUE] ? RED : BLUE;
        avatar.lastInputTick = room.tick();
        avatars[count++] = avatar;
        teamSizes[avatar.team]++;
        respawn(avatar);
        player.attach(avatar);
        player.setEntityId(avatar.entityId);
        player.setMetadata("team", TEAM_NAMES[avatar.team]);
        player.setMetadata("score", "0");
    }

    public void onLeave(final Player player, final LeaveReason reason)
    {
        final Avatar avatar = (Avatar)player.attachment();
        for (int i = 0; i < count; i++)
        {
            if (avatars[i] == avatar)
            {
                System.arraycopy(avatars, i + 1, avatars, i, count - i - 1);
                avatars[--count] = null;
                teamSizes[avatar.team]--;
                return;
            }
        }
    }

    public void onInput(final Player player, final Input input)
    {
        final Avatar avatar = (Avatar)player.attachment();
        final int moveX = input.get(INPUT_MOVE_X);
        final int moveY = input.get(INPUT_MOVE_Y);
        final int speed = config.speedSteps();
        final int m = Math.max(MAX_MOVE, ceilSqrt(moveX * moveX + moveY * moveY));
        avatar.intentX = moveX * speed / m;
        avatar.intentY = moveY * speed / m;
        avatar.aim = input.get(INPUT_AIM);
        avatar.lastInputTick = room.tick();
        final long tick = room.tick();
        if ((input.get(INPUT_BUTTONS) & BUTTON_FIRE) != 0 && tick >= avatar.nextFireTick && intermissionEndTick == 0)
        {
            avatar.nextFireTick = tick + config.fireCooldownTicks();
            avatar.invulnerableUntilTick = 0;
            final Avatar target = trace(avatar, room.rewind(input.viewTick() == 0 ? tick : input.viewTick()));
            if (target != null)
            {
                tagged(avatar, target);
            }
        }
    }

    /**
     * Relays a chat line to everyone, with the sender's id; blank lines are dropped.
     */
    public void onMessage(final Player player, final Message message)
    {
        if (message.type() == TagProvider.CHAT)
        {
            Chat.relay(room, player, message);
        }
    }

    public void step(final long tick)
    {
        if (intermissionEndTick != 0 && tick >= intermissionEndTick)
        {
            startRound();
        }
        for (int i = 0; i < count; i++)
        {
            final Avatar avatar = avatars[i];
            final int x = clamp(avatar.x + avatar.intentX);
            final int y = clamp(avatar.y + avatar.intentY);
            avatar.vx = x - avatar.x;
            avatar.vy = y - avatar.y;
            avatar.x = x;
            avatar.y = y;
            if (tick - avatar.lastInputTick == config.idleKickTicks())
            {
                room.kick(avatar.player, "idle");
            }
        }
    }

    public void capture(final EntityWriter entities)
    {
        final long tick = room.tick();
        for (int i = 0; i < count; i++)
        {
            final Avatar avatar = avatars[i];
            final int row = entities.add(avatar.entityId);
            entities.set(row, FIELD_X, avatar.x);
            entities.set(row, FIELD_Y, avatar.y);
            entities.set(row, FIELD_VX, avatar.vx);
            entities.set(row, FIELD_VY, avatar.vy);
            entities.set(row, FIELD_AIM, avatar.aim);
            entities.set(row, FIELD_TEAM, avatar.team);
            entities.set(row, FIELD_FLAGS, tick < avatar.invulnerableUntilTick ? FLAG_INVULNERABLE : 0);
        }
    }

    /**
     * Writes the team sizes and scores, {@code count, nextEntityId, scoreLimit, round, intermissionEndTick}, then
     * per avatar in order: the player's id, then {@code entityId, team, x, y, vx, vy, intentX, intentY, aim, score}
     * as ints and {@code nextFireTick, invulnerableUntilTick, respawnTick, lastInputTick} as longs. The players'
     * metadata (team, score) and the room's are the server's to keep.
     */
    public void save(final StateWriter out)
    {
        out.writeInts(teamSizes, 0, teamSizes.length);
        out.writeInts(teamScores, 0, teamScores.length);
        out.writeInt(count);
        out.writeInt(nextEntityId);
        out.writeInt(scoreLimit);
        out.writeInt(round);
        out.writeLong(intermissionEndTick);
        for (int i = 0; i < count; i++)
        {
            final Avatar avatar = avatars[i];
            out.writeInt(avatar.player.id());
            out.writeInt(avatar.entityId);
            out.writeInt(avatar.team);
            out.writeInt(avatar.x);
            out.writeInt(avatar.y);
            out.writeInt(avatar.vx);
            out.writeInt(avatar.vy);
            out.writeInt(avatar.intentX);
            out.writeInt(avatar.intentY);
            out.writeInt(avatar.aim);
            out.writeInt(avatar.score);
            out.writeLong(avatar.nextFireTick);
            out.writeLong(avatar.invulnerableUntilTick);
            out.writeLong(avatar.respawnTick);
            out.writeLong(avatar.lastInputTick);
        }
    }

    /**
     * Reads what {@link #save} wrote (version 1) and gives each seated player its avatar back.
     *
     * @throws IllegalStateException for another version, or a state that does not fit the room: too many avatars,
     *                               a team or aim out of range, a player not seated or seated with another entity,
     *                               team sizes that do not match the avatars.
     */
    public void restore(final StateReader in, final int version)
    {
        if (version != TagProvider.CHECKPOINT_VERSION)
        {
            throw new IllegalStateException("tag checkpoint version " + version);
        }
        in.readInts(teamSizes, 0, teamSizes.length);
        in.readInts(teamScores, 0, teamScores.length);
        final int savedCount = in.readInt();
        if (savedCount < 0 || savedCount > avatars.length)
        {
            throw new IllegalStateException("tag checkpoint of " + savedCount + " avatars");
        }
        nextEntityId = in.readInt();
        scoreLimit = in.readInt();
        round = in.readInt();
        intermissionEndTick = in.readLong();
        final int[] members = new int[2];
        for (int i = 0; i < savedCount; i++)
        {
            final Avatar avatar = new Avatar();
            final int playerId = in.readInt();
            avatar.entityId = in.readInt();
            avatar.team = in.readInt();
            avatar.x = in.readInt();
            avatar.y = in.readInt();
            avatar.vx = in.readInt();
            avatar.vy = in.readInt();
            avatar.intentX = in.readInt();
            avatar.intentY = in.readInt();
            avatar.aim = in.readInt();
            avatar.score = in.readInt();
            avatar.nextFireTick = in.readLong();
            avatar.invulnerableUntilTick = in.readLong();
            avatar.respawnTick = in.readLong();
            avatar.lastInputTick = in.readLong();
            final Player player = room.playerById(playerId);
            if (player == null || player.entityId() != avatar.entityId || avatar.team < RED ||
                avatar.team > BLUE || avatar.aim < 0 || avatar.aim >= AIM_DIRECTIONS)
            {
                throw new IllegalStateException("tag checkpoint avatar of player " + playerId + " does not fit");
            }
            avatar.player = player;
            player.attach(avatar);
            members[avatar.team]++;
            avatars[i] = avatar;
        }
        if (members[RED] != teamSizes[RED] || members[BLUE] != teamSizes[BLUE])
        {
            throw new IllegalStateException("tag checkpoint team sizes do not match its avatars");
        }
        count = savedCount;
    }

    /**
     * @return the nearest opponent the shot hits where {@code past} shows it, or null.
     */
    private Avatar trace(final Avatar shooter, final Rewind past)
    {
        final double dirX = COS[shooter.aim];
        final double dirY = SIN[shooter.aim];
        final double radius = TagConfig.HIT_RADIUS * STEPS_PER_UNIT;
        double nearest = TagConfig.SHOT_RANGE * STEPS_PER_UNIT;
        Avatar hit = null;
        for (int i = 0; i < count; i++)
        {
            final Avatar target = avatars[i];
            if (target.team == shooter.team || room.tick() < target.invulnerableUntilTick ||
                target.respawnTick > past.tick() || !past.contains(target.entityId))
            {
                continue;
            }
            final double dx = past.value(target.entityId, FIELD_X) - shooter.x;
            final double dy = past.value(target.entityId, FIELD_Y) - shooter.y;
            final double along = dx * dirX + dy * dirY;
            if (along >= 0 && along <= nearest && Math.abs(dx * dirY - dy * dirX) <= radius)
            {
                nearest = along;
                hit = target;
            }
        }
        return hit;
    }

    private void tagged(final Avatar shooter, final Avatar target)
    {
        shooter.score++;
        teamScores[shooter.team]++;
        shooter.player.setMetadata("score", Integer.toString(shooter.score));
        room.message(TagProvider.TAGGED).putInt(0, shooter.player.id()).putInt(1, target.player.id()).broadcast();
        respawn(target);
        publishScores();
        if (teamScores[shooter.team] >= scoreLimit)
        {
            intermissionEndTick = room.tick() + config.intermissionTicks();
            room.setMetadata("phase", "intermission");
            announce(ROUND_OVER, shooter.team);
        }
    }

    private void startRound()
    {
        round++;
        intermissionEndTick = 0;
        teamScores[RED] = 0;
        teamScores[BLUE] = 0;
        for (int i = 0; i < count; i++)
        {
            avatars[i].score = 0;
            avatars[i].player.setMetadata("score", "0");
            respawn(avatars[i]);
        }
        publishRound();
        announce(ROUND_START, NO_TEAM);
    }

    private void respawn(final Avatar avatar)
    {
        final int quarter = maxPosition / 4;
        avatar.x = (avatar.team == RED ? 0 : maxPosition - quarter) + room.random().nextInt(quarter + 1);
        avatar.y = room.random().nextInt(maxPosition + 1);
        avatar.vx = 0;
        avatar.vy = 0;
        avatar.respawnTick = room.tick();
        avatar.invulnerableUntilTick = room.tick() + config.invulnerableTicks();
    }

    private void announce(final int event, final int winner)
    {
        room.message(TagProvider.ROUND).putInt(0, event).putInt(1, round).putInt(2, winner)
            .putInt(3, teamScores[RED]).putInt(4, teamScores[BLUE]).broadcast();
    }

    private void publishRound()
    {
        room.setMetadata("round", Integer.toString(round));
        room.setMetadata("phase", "playing");
        publishScores();
    }

    private void publishScores()
    {
        room.setMetadata(TEAM_NAMES[RED], Integer.toString(teamScores[RED]));
        room.setMetadata(TEAM_NAMES[BLUE], Integer.toString(teamScores[BLUE]));
    }

    private int clamp(final int position)
    {
        return position < 0 ? 0 : Math.min(position, maxPosition);
    }

    private static int teamIndex(final String team)
    {
        return TEAM_NAMES[RED].equals(team) ? RED : TEAM_NAMES[BLUE].equals(team) ? BLUE : -1;
    }

    /**
     * @return the least r with r * r >= n, for 0 <= n < 2^31.
     */
    static int ceilSqrt(final int n)
    {
        final int root = (int)Math.sqrt(n);
        return root * root < n ? root + 1 : root;
    }
}
