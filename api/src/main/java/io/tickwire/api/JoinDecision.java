package io.tickwire.api;

import java.nio.charset.StandardCharsets;

/**
 * The answer to {@link Game#onJoinRequest}: accept, or refuse with a reason the client receives in a NOTICE before
 * the server closes its connection (close code 4003).
 */
public final class JoinDecision
{
    /** Longest refusal reason, in UTF-8 bytes. */
    public static final int MAX_REASON_LENGTH = 120;

    /** Accept the join. */
    public static final JoinDecision ACCEPT = new JoinDecision(null);

    private final String reason;

    private JoinDecision(final String reason)
    {
        this.reason = reason;
    }

    /**
     * @param reason for the player, 1..{@link #MAX_REASON_LENGTH} UTF-8 bytes, no control characters.
     */
    public static JoinDecision refuse(final String reason)
    {
        final int length = reason.getBytes(StandardCharsets.UTF_8).length;
        if (length < 1 || length > MAX_REASON_LENGTH || reason.chars().anyMatch(Character::isISOControl))
        {
            throw new IllegalArgumentException("a refusal reason is 1.." + MAX_REASON_LENGTH + " bytes of text");
        }
        return new JoinDecision(reason);
    }

    public boolean isAccepted()
    {
        return reason == null;
    }

    /**
     * @return why the join was refused, or null when accepted.
     */
    public String reason()
    {
        return reason;
    }

    public String toString()
    {
        return reason == null ? "ACCEPT" : "refuse(" + reason + ")";
    }
}
