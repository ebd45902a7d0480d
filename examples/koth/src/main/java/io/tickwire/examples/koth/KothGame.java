package io.tickwire.examples.koth;

import io.tickwire.api.EntityWriter;
import io.tickwire.api.Game;
import io.tickwire.api.Input;
import io.tickwire.api.JoinDecision;
import io.tickwire.api.JoinOptions;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Message;
import io.tickwire.api.Player;
import io.tickwire.api.RoomContext;

import java.util.ArrayList;
import java.util.List;

/**
 * One room of king of the hill. Players move with {@code moveX} / {@code moveY}; whoever stands alone in the
 * circular hill at the centre of the world scores a point for every full second held (the count restarts when the
 * hill is left, contested or taken). The first to the room's {@code scoreLimit} wins the round: {@code won} is
 * broadcast, scores reset and everyone respawns. Scores are presence metadata ({@code score}); {@code taunt}
 * messages are relayed to the room as {@code taunted}. Entity 0 is the hill, each player's avatar is its player id.
 */
public final class KothGame implements Game
{
    private final RoomContext room;
    private final int worldSize;
    private final int hillRadius;
    private final int speed;
    /** Avatars in ascending player (= entity) id order: the iteration and capture order. */
    private final List<Avatar> avatars = new ArrayList<>();
    private int scoreLimit;
    private int round = 1;
    private Avatar holder;
    private int holdTicks;

    KothGame(final RoomContext room, final int worldSize, final int hillRadius, final int speed)
    {
        this.room = room;
        this.worldSize = worldSize;
        this.hillRadius = hillRadius;
        this.speed = speed;
    }

    public void onCreate(final JoinOptions options)
    {
        scoreLimit = options.intValue(KothProvider.SCORE_LIMIT);
        room.setMetadata(KothProvider.SCORE_LIMIT, Integer.toString(scoreLimit));
        room.setMetadata("round", Integer.toString(round));
    }

    public JoinDecision onJoinRequest(final Player player, final JoinOptions options)
    {
        if (options.isGiven(KothProvider.SCORE_LIMIT) && options.intValue(KothProvider.SCORE_LIMIT) != scoreLimit)
        {
            return JoinDecision.refuse("this room plays to " + scoreLimit + " points");
        }
        return JoinDecision.ACCEPT;
    }

    public void onJoin(final Player player)
    {
        final Avatar avatar = new Avatar(player);
        spawn(avatar);
        int index = 0;
        while (index < avatars.size() && avatars.get(index).player.id() < player.id())
        {
            index++;
        }
        avatars.add(index, avatar);
        player.attach(avatar);
        player.setEntityId(player.id());
        player.setMetadata("score", "0");
    }

    public void onLeave(final Player player, final LeaveReason reason)
    {
        final Avatar avatar = (Avatar)player.attachment();
        avatars.remove(avatar);
        if (holder == avatar)
        {
            holder = null;
            holdTicks = 0;
        }
    }

    public void onInput(final Player player, final Input input)
    {
        final Avatar avatar = (Avatar)player.attachment();
        final int moveX = input.get(KothProvider.MOVE_X);
        final int moveY = input.get(KothProvider.MOVE_Y);
        final int length = Math.max(127, ceilSqrt(moveX * moveX + moveY * moveY));
        avatar.intentX = moveX * speed / length;
        avatar.intentY = moveY * speed / length;
    }

    public void onMessage(final Player player, final Message message)
    {
        if (message.type() == KothProvider.TAUNT)
        {
            final String text = message.getText(0);
            if (!text.isBlank())
            {
                room.message(KothProvider.TAUNTED).putInt(0, player.id()).putText(1, text).broadcast();
            }
        }
    }

    public void step(final long tick)
    {
        Avatar alone = null;
        int inside = 0;
        for (final Avatar avatar : avatars)
        {
            final int x = clamp(avatar.x + avatar.intentX);
            final int y = clamp(avatar.y + avatar.intentY);
            avatar.vx = x - avatar.x;
            avatar.vy = y - avatar.y;
            avatar.x = x;
            avatar.y = y;
            if (onHill(avatar))
            {
                inside++;
                alone = avatar;
            }
        }
        final Avatar occupant = inside == 1 ? alone : null;
        if (occupant != holder)
        {
            holder = occupant;
            holdTicks = 0;
        }
        if (holder != null && ++holdTicks == room.tickRateHz())
        {
            holdTicks = 0;
            score(holder);
        }
    }

    public void capture(final EntityWriter entities)
    {
        final int hill = entities.add(0);
        entities.set(hill, KothProvider.X, worldSize / 2);
        entities.set(hill, KothProvider.Y, worldSize / 2);
        entities.set(hill, KothProvider.VX, 0);
        entities.set(hill, KothProvider.VY, 0);
        entities.set(hill, KothProvider.KIND, KothProvider.KIND_HILL);
        for (final Avatar avatar : avatars)
        {
            final int row = entities.add(avatar.player.id());
            entities.set(row, KothProvider.X, avatar.x);
            entities.set(row, KothProvider.Y, avatar.y);
            entities.set(row, KothProvider.VX, avatar.vx);
            entities.set(row, KothProvider.VY, avatar.vy);
            entities.set(row, KothProvider.KIND, KothProvider.KIND_PLAYER);
        }
    }

    private void score(final Avatar avatar)
    {
        avatar.score++;
        avatar.player.setMetadata("score", Integer.toString(avatar.score));
        room.message(KothProvider.SCORED).putInt(0, avatar.player.id()).putInt(1, avatar.score).broadcast();
        if (avatar.score >= scoreLimit)
        {
            room.message(KothProvider.WON).putInt(0, avatar.player.id()).putInt(1, round).broadcast();
            round++;
            room.setMetadata("round", Integer.toString(round));
            holder = null;
            for (final Avatar each : avatars)
            {
                each.score = 0;
                each.player.setMetadata("score", "0");
                spawn(each);
            }
        }
    }

    /** A random place off the hill, standing still. */
    private void spawn(final Avatar avatar)
    {
        do
        {
            avatar.x = room.random().nextInt(worldSize + 1);
            avatar.y = room.random().nextInt(worldSize + 1);
        }
        while (onHill(avatar));
        avatar.vx = 0;
        avatar.vy = 0;
    }

    private boolean onHill(final Avatar avatar)
    {
        final long dx = avatar.x - worldSize / 2;
        final long dy = avatar.y - worldSize / 2;
        return dx * dx + dy * dy <= (long)hillRadius * hillRadius;
    }

    private int clamp(final int value)
    {
        return Math.max(0, Math.min(worldSize, value));
    }

    /** The least r with r * r >= n, for 0 <= n <= 2 * 127 * 127. */
    static int ceilSqrt(final int n)
    {
        int r = (int)Math.sqrt(n);
        while (r * r < n)
        {
            r++;
        }
        while (r > 0 && (r - 1) * (r - 1) >= n)
        {
            r--;
        }
        return r;
    }

    /** A player's avatar and score. */
    private static final class Avatar
    {
        private final Player player;
        private int x;
        private int y;
        private int vx;
        private int vy;
        private int intentX;
        private int intentY;
        private int score;

        Avatar(final Player player)
        {
            this.player = player;
        }
    }
}
