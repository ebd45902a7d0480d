package io.tickwire.net.pipeline;

import io.tickwire.api.GameType;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.ShardConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What {@code GET /server} tells a client about the server, fixed at start: what a client needs to draw its view
 * and to plan its reconnects. Public by design, so it holds no secret (no token secret, no limits an attacker could
 * tune a flood to).
 *
 * @param tickRateHz          ticks and snapshots per second.
 * @param viewRadiusUnits     interest radius in world units; 0 when interest management is off (a client sees all).
 * @param viewHysteresisUnits units beyond the radius an entity in view may go before it leaves the view.
 * @param maxViewEntities     most entities in one client's view, nearest first.
 * @param resumeGraceMs       how long a dropped player keeps its seat for a resume, in milliseconds; 0 = no resume.
 * @param tokensRequired      whether a client needs a token to connect.
 * @param roomTypes           the games hosted, by name, with their player limits.
 */
public record ServerInfo(
    int tickRateHz, double viewRadiusUnits, double viewHysteresisUnits, int maxViewEntities, long resumeGraceMs,
    boolean tokensRequired, List<RoomType> roomTypes)
{
    /**
     * One hosted game.
     *
     * @param name       its room type.
     * @param maxClients players one of its rooms admits.
     */
    public record RoomType(String name, int maxClients)
    {
    }

    public ServerInfo
    {
        roomTypes = List.copyOf(roomTypes);
    }

    public static ServerInfo of(final ShardConfig shard, final boolean tokensRequired, final GameCatalog catalog)
    {
        final List<RoomType> types = new ArrayList<>();
        for (final GameType type : catalog.types())
        {
            types.add(new RoomType(type.name(), type.maxClients()));
        }
        return new ServerInfo(shard.tickRateHz(), shard.viewRadius(), shard.viewHysteresis(),
            shard.maxEntitiesPerSnapshot(), TimeUnit.NANOSECONDS.toMillis(shard.resumeGraceNs()), tokensRequired,
            types);
    }
}
