package io.tickwire.net.pipeline;

import io.netty.channel.epoll.EpollEventArray;
import io.netty.channel.epoll.Native;
import io.netty.channel.unix.FileDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

/**
 * The sockets of one {@link SocketReadPass} that received bytes, in the order they first received them: an epoll set
 * of the pass's own, apart from the transport's (which the pass keeps from watching for input), with each socket
 * edge-triggered on input. Linux appends a socket to the set's ready list when bytes arrive and it is not listed yet,
 * and an edge-triggered socket leaves the list when a poll reports it, so each {@link #poll()} gives the sockets that
 * received since they were last reported, the one whose bytes waited longest first. A socket reported once is not
 * reported again until more bytes arrive: the pass must read it empty, or remember to read it again.
 * <p>
 * Netty's calls to make and change an epoll set are public, but not the constructor and address of the event array,
 * nor a poll that does not re-arm a timer: these are taken by reflection once, here, and {@link #open()} says when
 * that fails (the pass then leaves reading to Netty). Owned by its event loop.
 */
final class ReadySockets implements AutoCloseable
{
    /** Events one poll reports at most; {@link SocketReadPass} polls again while a poll fills them. */
    static final int EVENTS_PER_POLL = 1024;

    private static final Constructor<EpollEventArray> NEW_EVENT_ARRAY;
    private static final Method EVENT_ARRAY_ADDRESS;
    private static final Method FREE_EVENT_ARRAY;
    /** {@code Native.epollWait(FileDescriptor, EpollEventArray, int timeoutMillis)}: epoll's own timeout, no timer. */
    private static final MethodHandle EPOLL_WAIT;
    private static final String UNAVAILABLE;

    static
    {
        Constructor<EpollEventArray> newArray = null;
        Method address = null;
        Method free = null;
        MethodHandle epollWait = null;
        String unavailable = null;
        try
        {
            newArray = EpollEventArray.class.getDeclaredConstructor(int.class);
            newArray.setAccessible(true);
            address = EpollEventArray.class.getDeclaredMethod("memoryAddress");
            address.setAccessible(true);
            free = EpollEventArray.class.getDeclaredMethod("free");
            free.setAccessible(true);
            final Method wait = Native.class.getDeclaredMethod(
                "epollWait", FileDescriptor.class, EpollEventArray.class, int.class);
            wait.setAccessible(true);
            epollWait = MethodHandles.lookup().unreflect(wait);
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError ex)
        {
            unavailable = ex.toString();
        }
        NEW_EVENT_ARRAY = newArray;
        EVENT_ARRAY_ADDRESS = address;
        FREE_EVENT_ARRAY = free;
        EPOLL_WAIT = epollWait;
        UNAVAILABLE = unavailable;
    }

    private final FileDescriptor epoll;
    private final EpollEventArray events;
    private final UnsafeBuffer eventBytes;
    private final int eventBytesEach;
    private final int fdOffset;

    private ReadySockets(final FileDescriptor epoll, final EpollEventArray events, final long eventsAddress)
    {
        this.epoll = epoll;
        this.events = events;
        this.eventBytesEach = Native.sizeofEpollEvent();
        this.fdOffset = Native.offsetofEpollData();
        this.eventBytes = new UnsafeBuffer(eventsAddress, EVENTS_PER_POLL * eventBytesEach);
    }

    /**
     * @return a new empty set.
     * @throws IOException when the epoll set or its event array cannot be made here (the reason in the message).
     */
    static ReadySockets open() throws IOException
    {
        if (UNAVAILABLE != null)
        {
            throw new IOException("Netty's epoll event array is not accessible: " + UNAVAILABLE);
        }
        final FileDescriptor epoll = Native.newEpollCreate();
        try
        {
            final EpollEventArray events = NEW_EVENT_ARRAY.newInstance(EVENTS_PER_POLL);
            return new ReadySockets(epoll, events, (long)EVENT_ARRAY_ADDRESS.invoke(events));
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            epoll.close();
            throw new IOException("Netty's epoll event array could not be made", ex);
        }
    }

    /**
     * Watches {@code fd} for input from now on; a socket with bytes already waiting is reported at the next poll.
     */
    void add(final int fd) throws IOException
    {
        Native.epollCtlAdd(epoll.intValue(), fd, Native.EPOLLIN | Native.EPOLLET);
    }

    /**
     * Stops watching {@code fd}, which is open. A socket closed leaves the set by itself.
     */
    void remove(final int fd) throws IOException
    {
        Native.epollCtlDel(epoll.intValue(), fd);
    }

    /**
     * Takes the sockets that received bytes since they were last reported, without waiting, oldest arrival first.
     *
     * @return how many: {@link #fd(int)} gives each. {@link #EVENTS_PER_POLL} when more may wait.
     */
    int poll() throws IOException
    {
        try
        {
            return (int)EPOLL_WAIT.invokeExact(epoll, events, 0);
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @param index below what the last {@link #poll()} returned.
     * @return the descriptor of the socket reported at {@code index}.
     */
    int fd(final int index)
    {
        return eventBytes.getInt(index * eventBytesEach + fdOffset);
    }

    public void close()
    {
        try
        {
            FREE_EVENT_ARRAY.invoke(events);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException(ex);
        }
        finally
        {
            try
            {
                epoll.close();
            }
            catch (final IOException ignored)
            {
                // The loop is stopping; a descriptor it cannot close is gone with the process.
            }
        }
    }
}
