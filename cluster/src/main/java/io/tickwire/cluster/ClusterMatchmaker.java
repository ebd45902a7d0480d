package io.tickwire.cluster;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import io.tickwire.api.GameType;
import io.tickwire.api.Identity;
import io.tickwire.cluster.RedisDirectory.ReserveMode;
import io.tickwire.cluster.RedisDirectory.ReserveReply;
import io.tickwire.cluster.RoomDirectory.HostedType;
import io.tickwire.codec.WireFormat;
import io.tickwire.sim.GameCatalog;

/**
 * The matchmaker of design §3: resolves who the seat is for, picks the reservation mode, runs {@code reserve.lua}
 * once and signs the reservation. Thread safe and non-blocking: the caller's thread (an event loop) does the CPU
 * work up to the Redis call; the answer is made on the cluster thread.
 */
final class ClusterMatchmaker implements Matchmaker
{
    /** Prefix of the subjects minted for players without a bearer identity. */
    static final String ANONYMOUS_PREFIX = "anon:";
    /** How long a consumed reservation's seat waits for its JOIN before it frees itself, ms. */
    static final long HOLD_MS = 10_000;

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final RedisDirectory directory;
    private final RoomDirectory rooms;
    private final GameCatalog catalog;
    private final ReservationTokens tokens;
    private final ClusterCounters counters;
    private final long reservationTtlMs;
    private final String roomNameInfix;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong roomCounter = new AtomicLong();

    ClusterMatchmaker(
        final RedisDirectory directory, final RoomDirectory rooms, final GameCatalog catalog,
        final ReservationTokens tokens, final ClusterCounters counters, final long reservationTtlMs,
        final String nodeShort)
    {
        this.directory = directory;
        this.rooms = rooms;
        this.catalog = catalog;
        this.tokens = tokens;
        this.counters = counters;
        this.reservationTtlMs = reservationTtlMs;
        this.roomNameInfix = "-" + nodeShort + "-";
    }

    public CompletionStage<MatchResult> matchmake(final MatchRequest request)
    {
        final HostedType type = typeOf(request.type());
        if (type == null)
        {
            return failed(MatchError.UNKNOWN_TYPE);
        }
        Reservation proof = null;
        if (request.rejoin() != null)
        {
            proof = tokens.verifyRejoinProof(request.rejoin()).reservation();
            if (proof == null || (request.identity() != null
                && !request.identity().subject().equals(proof.identity().subject())))
            {
                return failed(MatchError.BAD_REJOIN);
            }
        }
        final Identity identity = identityOf(request, proof);
        final boolean any = MatchRequest.ANY.equals(request.room());
        final boolean fresh = MatchRequest.NEW.equals(request.room());
        final ReserveMode mode;
        if (any || fresh)
        {
            mode = any ? ReserveMode.ANY : ReserveMode.NEW;
        }
        else if (!validRoomName(request.room()))
        {
            return failed(MatchError.BAD_ROOM);
        }
        else
        {
            mode = proof != null && proof.room().equals(request.room()) && proof.type().equals(request.type())
                ? ReserveMode.REJOIN : ReserveMode.NAMED;
        }
        if (fresh && !type.clientsMayCreateRooms())
        {
            return failed(MatchError.CREATE_FORBIDDEN);
        }
        final String room = any || fresh ? newRoomName(request.type()) : request.room();
        final String rid = randomId();
        return directory.reserve(mode, request.type(), room, rid, reservationTtlMs, type.clientsMayCreateRooms(),
            type.maxClients(), HOLD_MS).handle((reply, failure) ->
            {
                final MatchResult result = failure != null ? MatchResult.failed(MatchError.UNAVAILABLE)
                    : answer(reply, request.type(), rid, identity, mode == ReserveMode.REJOIN);
                counters.onMatchmake(result);
                return result;
            });
    }

    private MatchResult answer(
        final ReserveReply reply, final String type, final String rid, final Identity identity, final boolean rejoin)
    {
        switch (reply.status())
        {
            case "OK":
                // Redis's clock, which consume.lua checks the expiry against: node clocks may differ.
                final Reservation reservation = new Reservation(rid, reply.room(), type, identity, rejoin,
                    reply.node(), reply.expiresAtMs() - reservationTtlMs, reply.expiresAtMs());
                return MatchResult.reserved(reply.url(), reply.room(), tokens.issue(reservation), reservationTtlMs,
                    identity.subject(), reply.node());
            case "NOT_FOUND":
                return MatchResult.failed(MatchError.ROOM_NOT_FOUND);
            case "ROOM_GONE":
                return MatchResult.failed(MatchError.ROOM_GONE);
            case "FULL":
                return MatchResult.failed(MatchError.FULL);
            case "LOCKED":
                return MatchResult.failed(MatchError.LOCKED);
            case "EXISTS":
                return MatchResult.failed(MatchError.EXISTS);
            case "RESTORING":
                return MatchResult.failed(MatchError.RESTORING);
            case "NO_NODE":
                return MatchResult.failed(MatchError.NO_NODE);
            default:
                return MatchResult.failed(MatchError.UNAVAILABLE);
        }
    }

    private HostedType typeOf(final String name)
    {
        final GameType local = catalog.get(name);
        if (local != null)
        {
            return new HostedType(local.maxClients(), local.clientsMayCreateRooms());
        }
        return rooms.hostedType(name);
    }

    /**
     * The bearer's identity when tokens are in use; else the subject the rejoin proof carried; else a new anonymous
     * subject. The display name is the bearer's, else the one asked for, else the proof's, else the subject.
     */
    private Identity identityOf(final MatchRequest request, final Reservation proof)
    {
        if (request.identity() != null)
        {
            return request.identity();
        }
        final String subject = proof != null ? proof.identity().subject() : ANONYMOUS_PREFIX + randomId();
        final String name = request.name() != null ? request.name()
            : proof != null ? proof.identity().name() : subject;
        return new Identity(subject, name, proof != null ? proof.identity().claims() : Map.of());
    }

    private String newRoomName(final String type)
    {
        final String name = type + roomNameInfix + roomCounter.incrementAndGet();
        return name.length() <= WireFormat.MAX_NAME_LENGTH ? name : "r" + roomNameInfix + roomCounter.get();
    }

    private static boolean validRoomName(final String room)
    {
        final int bytes = room.getBytes(StandardCharsets.UTF_8).length;
        return bytes >= 1 && bytes <= WireFormat.MAX_NAME_LENGTH && !room.contains(",");
    }

    /** @return 128 random bits, base64url without padding */
    private String randomId()
    {
        final byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    private CompletionStage<MatchResult> failed(final MatchError error)
    {
        final MatchResult result = MatchResult.failed(error);
        counters.onMatchmake(result);
        return CompletableFuture.completedFuture(result);
    }
}
