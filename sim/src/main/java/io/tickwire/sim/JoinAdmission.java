package io.tickwire.sim;

import io.tickwire.api.GameType;
import io.tickwire.api.LeaveReason;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.ResumeToken;
import io.tickwire.codec.control.Welcome;
import io.tickwire.sim.journal.RoomJournal;

import java.util.List;

/**
 * Decides joins on the shard thread: finds or creates the room the join names, asks the game, seats the player and
 * sends its welcome, its presence list and the messages the game sent it while joining, in that order.
 * <pre>
 *   NAMED  the room by name; created when absent and the type lets clients create rooms
 *   ANY    an open room of the type (public, unlocked, with space); created with a generated name when none is
 *   CREATE a new room, by the free name given or a generated one, when the type lets clients create rooms
 *   RESUME the seat holding the token, in the room named, when the identities match and the stream ack is in range;
 *          else NOTICE 13 RESUME_REFUSED, close 4005. The seat keeps its avatar and player id: WELCOME (a new token,
 *          no presence list), the stream messages after the client's stream ack again, then a full snapshot
 *   REJOIN a NAMED join whose reservation was a rejoin: only the seat of the joiner's identity in that room, which
 *          must exist (no room or seat is created: the matchmaker counted no free seat for it); else NOTICE 6
 *          ROOM_NOT_FOUND, close 4008, and the client matchmakes afresh
 *   then:  a seated player of the joiner's identity -> the joiner takes its seat (the old connection gets NOTICE 14
 *          REPLACED, close 4004): WELCOME, presence list, the room messages the old one left unacknowledged
 *          locked -> 4003, full -> 1013, onJoinRequest refuses -> 4003 with the game's reason,
 *          onJoinRequest or onJoin throws -> 1011; each refusal is a NOTICE then a close, and counted
 * </pre>
 * The game sees neither a resume nor a replace: its player never left.
 * Shard thread only. Joins are cold: this allocates (the welcome, its maps).
 */
final class JoinAdmission
{
    private final ShardConfig config;
    private final RoomRegistry rooms;
    private final ShardClients sessions;
    private final GameErrors errors;
    private final ShardCounters counters;
    private final ShardScratch scratch;

    JoinAdmission(
        final ShardConfig config, final RoomRegistry rooms, final ShardClients sessions, final GameErrors errors,
        final ShardCounters counters, final ShardScratch scratch)
    {
        this.config = config;
        this.rooms = rooms;
        this.sessions = sessions;
        this.errors = errors;
        this.counters = counters;
        this.scratch = scratch;
    }

    void onJoin(final ClientLink link, final JoinTicket ticket)
    {
        if (ticket.isResume())
        {
            onResume(link, ticket);
            return;
        }
        final Room room = ticket.rejoin() ? findRejoined(link, ticket) : findOrCreate(link, ticket);
        if (room == null)
        {
            return;
        }
        if (ticket.identity() != null)
        {
            final RoomClient seated = room.clientWithSubject(ticket.identity().subject());
            if (seated != null)
            {
                replace(room, seated, link);
                room.onReservationSeated(ticket.reservationId());
                return;
            }
        }
        if (room.isLocked())
        {
            refuse(link, Notice.CODE_ROOM_LOCKED, "room locked", CloseCodes.JOIN_REFUSED);
            return;
        }
        if (!room.hasSpace())
        {
            refuse(link, Notice.CODE_ROOM_FULL, "room full", CloseCodes.TRY_AGAIN_LATER);
            return;
        }

        final RoomClient client = room.newClient(link, ticket.player(), ticket.identity(), ticket.options());
        final String refusal;
        try
        {
            refusal = room.askJoin(client, ticket.options());
        }
        catch (final Throwable ex)
        {
            errors.onGameError(room, "onJoinRequest", ex);
            refuse(link, Notice.CODE_SERVER_ERROR, "the game failed the join", CloseCodes.INTERNAL_ERROR);
            return;
        }
        if (refusal != null)
        {
            counters.joinsRefusedByGame.incrementAndGet();
            refuse(link, Notice.CODE_JOIN_REFUSED, Notices.truncate(refusal), CloseCodes.JOIN_REFUSED);
            return;
        }

        room.seat(client);
        try
        {
            room.onJoin(client);
        }
        catch (final Throwable ex)
        {
            errors.onGameError(room, "onJoin", ex);
            room.remove(client, LeaveReason.DISCONNECTED, true);
            refuse(link, Notice.CODE_SERVER_ERROR, "the game failed the join", CloseCodes.INTERNAL_ERROR);
            return;
        }
        if (client.state() == RoomClient.LEAVING)
        {
            room.remove(client, client.leaveReason(), true);
            return;
        }

        sessions.put(client);
        room.onReservationSeated(ticket.reservationId());
        try
        {
            welcome(room, client);
        }
        catch (final RuntimeException ex)
        {
            errors.onGameError(room, "welcome", ex);
            sessions.forget(client);
            room.remove(client, LeaveReason.DISCONNECTED, true);
            refuse(link, Notice.CODE_SERVER_ERROR, "the join could not be completed", CloseCodes.INTERNAL_ERROR);
            return;
        }
        counters.joins.incrementAndGet();
    }

    private void onResume(final ClientLink link, final JoinTicket ticket)
    {
        final RoomClient client = config.resumeEnabled() ? sessions.byToken(ticket.resumeToken()) : null;
        final String refusal;
        if (client == null || !client.isJoined())
        {
            refusal = "unknown, used or expired resume token";
        }
        else if (client.room.type() != ticket.type() || !client.room.name().equals(ticket.room()))
        {
            refusal = "the resume token is not of this room";
        }
        else if (client.identity() != null && (ticket.identity() == null ||
            !client.identity().subject().equals(ticket.identity().subject())))
        {
            refusal = "the resume token belongs to another identity";
        }
        else if (!client.canResumeFrom(ticket.messageAck()))
        {
            refusal = "message ack out of range";
        }
        else
        {
            refusal = null;
        }
        if (refusal != null)
        {
            counters.resumesRefused.incrementAndGet();
            refuse(link, Notice.CODE_RESUME_REFUSED, refusal, CloseCodes.RESUME_REFUSED);
            return;
        }

        final Room room = client.room;
        detachOldLink(client);
        client.onResumed(link, ticket.messageAck());
        sessions.put(client);
        journalReplace(room, client);
        counters.resumes.incrementAndGet();
        sendWelcome(room, client, 0, ticket.resumeToken());
        room.resendUnacked(client);
    }

    /**
     * A newer connection of a seated player's identity takes its seat, as a new client of the same avatar.
     */
    private void replace(final Room room, final RoomClient seated, final ClientLink link)
    {
        counters.seatsReplaced.incrementAndGet();
        detachOldLink(seated);
        final List<byte[]> unacked = room.unackedRoomMessages(seated);
        counters.inputsDiscarded.addAndGet(seated.onReplaced(link));
        sessions.put(seated);
        journalReplace(room, seated);
        sendWelcome(room, seated, room.clientCount(), null);
        room.sendPresenceList(seated);
        room.redeliver(seated, unacked);
    }

    private static void journalReplace(final Room room, final RoomClient client)
    {
        final RoomJournal journal = room.journal();
        if (journal != null)
        {
            journal.onReplace(room.tick(), client.id());
        }
    }

    /**
     * Forgets a seat's old session, so its late events no longer reach the seat, and tells the old connection, if it
     * is still attached, that a newer one took its place, and closes it.
     */
    private void detachOldLink(final RoomClient client)
    {
        sessions.forgetSession(client);
        if (!client.isDetached())
        {
            final ClientLink old = client.link;
            final String text = "replaced by a newer connection";
            final int length = scratch.controlCodec.encode(new Notice(Notice.CODE_REPLACED, 0, text),
                scratch.controlBuffer, 0);
            old.sendControl(scratch.controlBuffer, 0, length);
            old.close(CloseCodes.REPLACED, text);
        }
    }

    private Room findRejoined(final ClientLink link, final JoinTicket ticket)
    {
        final Room named = rooms.named(ticket.room());
        if (named == null || named.type() != ticket.type() || ticket.identity() == null ||
            named.clientWithSubject(ticket.identity().subject()) == null)
        {
            counters.rejoinsWithoutSeat.incrementAndGet();
            refuse(link, Notice.CODE_ROOM_NOT_FOUND, "no seat of this identity in " + ticket.room() + " to rejoin",
                CloseCodes.RESERVATION_MISMATCH);
            return null;
        }
        return named;
    }

    private Room findOrCreate(final ClientLink link, final JoinTicket ticket)
    {
        final GameType type = ticket.type();
        final Room named = ticket.room().isEmpty() ? null : rooms.named(ticket.room());
        if (named != null && named.type() != type)
        {
            refuse(link, Notice.CODE_ROOM_NOT_FOUND, "no room " + ticket.room() + " of type " + type.name(),
                CloseCodes.JOIN_REFUSED);
            return null;
        }

        switch (ticket.mode())
        {
            case JoinRequest.MODE_NAMED:
                if (named != null)
                {
                    return named;
                }
                break;
            case JoinRequest.MODE_ANY:
                final Room open = rooms.findOpen(type);
                if (open != null)
                {
                    return open;
                }
                break;
            default:
                if (named != null)
                {
                    refuse(link, Notice.CODE_ROOM_EXISTS, "room exists", CloseCodes.JOIN_REFUSED);
                    return null;
                }
                break;
        }

        if (!type.clientsMayCreateRooms())
        {
            refuse(link, Notice.CODE_ROOM_NOT_FOUND, "no such room, and clients may not create rooms of type " +
                type.name(), CloseCodes.JOIN_REFUSED);
            return null;
        }
        final String name = ticket.room().isEmpty() ? rooms.generateName(type) : ticket.room();
        final Room created = rooms.create(name, type, false, ticket.options());
        if (created == null)
        {
            if (rooms.lastFailure() == RoomRegistry.FULL)
            {
                refuse(link, Notice.CODE_NO_ROOM, "no room can be created", CloseCodes.TRY_AGAIN_LATER);
            }
            else
            {
                refuse(link, Notice.CODE_SERVER_ERROR, "the game failed to create the room",
                    CloseCodes.INTERNAL_ERROR);
            }
        }
        return created;
    }

    private void welcome(final Room room, final RoomClient client)
    {
        sendWelcome(room, client, room.clientCount(), null);
        room.sendPresenceList(client);
        room.completeWelcome(client);
    }

    /**
     * Sends the WELCOME, with a new resume token when resume is on (revoking the seat's previous one).
     *
     * @param presenceCount the players in the presence list that follows; 0 for a resume, which sends none.
     * @param usedToken     the token of the resume answered, or null.
     */
    private void sendWelcome(
        final Room room, final RoomClient client, final int presenceCount, final ResumeToken usedToken)
    {
        final GameType type = room.type();
        final Welcome welcome = new Welcome(
            client.link.sessionId(), config.tickRateHz(), client.id(), client.entityId(), type.name(), room.name(),
            config.historyWindowTicks(), type.entitySchema(), type.inputSchema(), type.messageTypes(),
            room.metadataCopy(), presenceCount, config.resumeEnabled() ? sessions.issueToken(client, usedToken) : null);
        final int length = scratch.controlCodec.encode(welcome, scratch.controlBuffer, 0);
        client.link.sendControl(scratch.controlBuffer, 0, length);
    }

    private void refuse(final ClientLink link, final int code, final String text, final int closeCode)
    {
        counters.joinsRefused.incrementAndGet();
        final int length = scratch.controlCodec.encode(new Notice(code, 0, text), scratch.controlBuffer, 0);
        link.sendControl(scratch.controlBuffer, 0, length);
        link.close(closeCode, text);
    }
}
