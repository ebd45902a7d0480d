package io.tickwire.sim;

import io.tickwire.codec.control.JoinRequest;

/**
 * One entry of a shard's input ring, allocated once when the ring is built and reused. Written by the publishing
 * event loop between claim and publish, read by the shard thread, then cleared by the shard so no reference
 * outlives its event.
 */
public final class InputEvent
{
    public static final byte JOIN = 1;
    public static final byte INPUT = 2;
    public static final byte LEAVE = 3;
    public static final byte CLOSED = 4;

    byte type;
    ClientLink link;
    JoinRequest join;
    int ack;
    int inputSeq;
    int moveX;
    int moveY;
    int buttons;

    public byte type()
    {
        return type;
    }

    public ClientLink link()
    {
        return link;
    }

    public JoinRequest join()
    {
        return join;
    }

    public int ack()
    {
        return ack;
    }

    public int inputSeq()
    {
        return inputSeq;
    }

    public int moveX()
    {
        return moveX;
    }

    public int moveY()
    {
        return moveY;
    }

    public int buttons()
    {
        return buttons;
    }

    void clear()
    {
        type = 0;
        link = null;
        join = null;
    }
}
