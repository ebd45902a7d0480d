package io.tickwire.io;

import io.netty.channel.epoll.EpollEventArray;
import io.netty.channel.epoll.Native;
import io.netty.channel.unix.FileDescriptor;

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
 * Netty's calls to make and change an epoll set are public, but not the event array's constructor and reader,
 * and its poll with epoll's own timeout only in a deprecated form: these are taken by reflection once, here, and
 * {@link #open()} says when that or the epoll set fails (the pass then leaves reading to Netty). Owned by its event
 * loop.
 */
public final class ReadySockets implements AutoCloseable
{
    /** Events one poll reports at most; {@link SocketReadPass} polls again while a poll fills them. */
    public static final int EVENTS_PER_POLL = 1024;

    private static final Constructor<EpollEventArray> NEW_EVENT_ARRAY;
    private static final Method FREE_EVENT_ARRAY;
    /** {@code EpollEventArray.fd(int index)}: the descriptor of the event at an index. */
    private static final MethodHandle EVENT_FD;
    /** {@code Native.epollWait(FileDescriptor, EpollEventArray, int timeoutMillis)}: epoll's own timeout, no timer. */
    private static final MethodHandle EPOLL_WAIT;
    private static final String UNAVAILABLE;

    static
    {
        Constructor<EpollEventArray> newArray = null;
        Method free = null;
        MethodHandle eventFd = null;
        MethodHandle epollWait = null;
        String unavailable = null;
        try
        {
            newArray = EpollEventArray.class.getDeclaredConstructor(int.class);
            newArray.setAccessible(true);
            final Method fd = EpollEventArray.class.getDeclaredMethod("fd", int.class);
            fd.setAccessible(true);
            eventFd = MethodHandles.lookup().unreflect(fd);
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
        FREE_EVENT_ARRAY = free;
        EVENT_FD = eventFd;
        EPOLL_WAIT = epollWait;
        UNAVAILABLE = unavailable;
    }

    private final FileDescriptor epoll;
    private final EpollEventArray events;

    private ReadySockets(final FileDescriptor epoll, final EpollEventArray events)
    {
        this.epoll = epoll;
        this.events = events;
    }

    /**
     * @return a new empty set.
     * @throws IOException when the epoll set or its event array cannot be made here (the reason in the message).
     */
    public static ReadySockets open() throws IOException
    {
        if (UNAVAILABLE != null)
        {
            throw new IOException("Netty's epoll event array is not accessible: " + UNAVAILABLE);
        }
        final FileDescriptor epoll;
        try
        {
            epoll = Native.newEpollCreate();
        }
        catch (final RuntimeException ex)
        {
            throw new IOException("no epoll set for the read pass", ex);
        }
        try
        {
            return new ReadySockets(epoll, NEW_EVENT_ARRAY.newInstance(EVENTS_PER_POLL));
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
    public void add(final int fd) throws IOException
    {
        Native.epollCtlAdd(epoll.intValue(), fd, Native.EPOLLIN | Native.EPOLLET);
    }

    /**
     * Stops watching {@code fd}, which is open. A socket closed leaves the set by itself.
     */
    public void remove(final int fd) throws IOException
    {
        Native.epollCtlDel(epoll.intValue(), fd);
    }

    /**
     * Takes the sockets that received bytes since they were last reported, without waiting, oldest arrival first.
     *
     * @return how many: {@link #fd(int)} gives each. {@link #EVENTS_PER_POLL} when more may wait.
     */
    public int poll() throws IOException
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
    public int fd(final int index)
    {
        try
        {
            return (int)EVENT_FD.invokeExact(events, index);
        }
        catch (final RuntimeException | Error ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(ex);
        }
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
