package io.tickwire.cluster;

/**
 * The answer to a {@link MatchRequest}: a reservation ({@link #ok()}) or an error code with its HTTP status
 * (design §3). Immutable.
 *
 * @param url          the target node's WebSocket URL (ok only)
 * @param room         the room's name (ok only)
 * @param reservation  the signed reservation token (ok only)
 * @param expiresInMs  the reservation's remaining lifetime (ok only)
 * @param subject      the subject the seat is for (ok only; minted {@code anon:...} when the request had none)
 * @param node         the target node's id (ok only)
 * @param error        the error code, null when ok
 * @param httpStatus   200 when ok, else the error's status
 * @param retryAfterMs when to try again, 0 when not worth it
 */
public record MatchResult(
    String url, String room, String reservation, long expiresInMs, String subject, String node, String error,
    int httpStatus, long retryAfterMs)
{
    /** @return true when a seat was reserved */
    public boolean ok()
    {
        return error == null;
    }

    static MatchResult reserved(
        final String url, final String room, final String reservation, final long expiresInMs, final String subject,
        final String node)
    {
        return new MatchResult(url, room, reservation, expiresInMs, subject, node, null, 200, 0);
    }

    static MatchResult failed(final MatchError error)
    {
        return new MatchResult(null, null, null, 0, null, null, error.name(), error.httpStatus(),
            error.retryAfterMs());
    }
}
