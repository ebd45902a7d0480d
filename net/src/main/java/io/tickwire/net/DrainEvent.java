package io.tickwire.net;

/**
 * User events of a drain, fired through a connection's pipeline and handled on its event loop.
 */
public enum DrainEvent
{
    /**
     * The shards have told their clients and disposed their rooms (or ran out of time): the connection closes what
     * is left of it. A session still open gets close 1001, after NOTICE 12 when it had asked to join; any other
     * connection (HTTP, or a handshake under way) is closed.
     */
    SWEEP
}
