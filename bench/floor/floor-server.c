/*
 * I/O floor server: does nothing but Tickwire's I/O pattern, so capacity reports can show Tickwire against the
 * cheapest possible server on the same machine. Per client per tick it reads the client's input (18 bytes) and
 * writes one 30-byte snapshot, over loopback TCP, on one thread.
 *
 *   floor-server --mode epoll|epoll-tick|uring|epoll-uring-send [--port 7790] [--rate 30]
 *
 * Modes:
 *   epoll       plain event-driven loop: wakes on every readable socket, a timerfd marks the tick, whose handler
 *               writes every client.
 *   epoll-tick  sleeps until the tick is due, then one epoll_wait(0) finds the readable sockets; each is read once,
 *               then every client is written. One wakeup per tick.
 *   uring       raw io_uring (no liburing): one recv per client is kept armed and re-armed once per tick; the
 *               tick's sends, the re-armed recvs and the wait for the next tick go in one io_uring_enter
 *               (DEFER_TASKRUN, so completions do not wake the thread before the tick).
 *   epoll-uring-send  epoll-tick's reads (one epoll_wait(0) a tick, one read per readable socket), and uring's sends:
 *               the tick's sends and the wait for the next tick in one io_uring_enter. What it saves against
 *               epoll-tick is what batching only the writes saves, for a server that keeps its epoll reads.
 *
 * SIGUSR1 prints the counters; SIGTERM/SIGINT print them and exit. A counters line reads
 *   floor mode=M ns=MONOTONIC_NS ticks=T reads=R writes=W wakeups=K syscalls=S clients=C short_writes=X
 * where reads and writes count completed operations with data, wakeups count returns from the blocking wait, and
 * syscalls count every system call the loop makes (the kernel's syscr/syscw miss epoll_wait and io_uring).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_FDS 16384
#define MAX_EVENTS 8192
#define INPUT_BUF_BYTES 1024
#define SNAPSHOT_BYTES 30

struct counters {
    uint64_t ticks, reads, writes, wakeups, syscalls, clients, short_writes;
};

static struct counters stats;
static const char *mode_name = "epoll";
static volatile sig_atomic_t print_requested;
static volatile sig_atomic_t stop_requested;
static unsigned char snapshot[SNAPSHOT_BYTES];
static unsigned char scratch[INPUT_BUF_BYTES];
static unsigned char *client_open;
/* io_uring mode only: 1 while a recv is armed for the client. */
static unsigned char *recv_armed;
static int max_client_fd = -1;

static uint64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

static void print_counters(void)
{
    printf("floor mode=%s ns=%llu ticks=%llu reads=%llu writes=%llu wakeups=%llu syscalls=%llu clients=%llu "
           "short_writes=%llu\n", mode_name, (unsigned long long) monotonic_ns(), (unsigned long long) stats.ticks,
           (unsigned long long) stats.reads, (unsigned long long) stats.writes, (unsigned long long) stats.wakeups,
           (unsigned long long) stats.syscalls, (unsigned long long) stats.clients,
           (unsigned long long) stats.short_writes);
    fflush(stdout);
}

static void on_signal(int signo)
{
    if (signo == SIGUSR1) {
        print_requested = 1;
    } else {
        stop_requested = 1;
    }
}

/* Returns nonzero when the loop must stop; prints counters on request. */
static int check_signals(void)
{
    if (print_requested) {
        print_requested = 0;
        print_counters();
    }
    return stop_requested;
}

static int listen_on(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t) port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0
        || bind(fd, (struct sockaddr *) &addr, sizeof addr) != 0 || listen(fd, SOMAXCONN) != 0) {
        perror("listen");
        exit(1);
    }
    return fd;
}

/* Accepts every pending connection; registers each with epoll_fd when it is not -1. */
static void accept_all(int listen_fd, int epoll_fd)
{
    for (;;) {
        int one = 1;
        int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK);
        stats.syscalls++;
        if (fd < 0) {
            return;
        }
        if (fd >= MAX_FDS) {
            close(fd);
            continue;
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (epoll_fd >= 0) {
            struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
            epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev);
        }
        client_open[fd] = 1;
        max_client_fd = fd > max_client_fd ? fd : max_client_fd;
        stats.clients++;
    }
}

static void close_client(int fd)
{
    if (client_open[fd]) {
        client_open[fd] = 0;
        recv_armed[fd] = 0;
        stats.clients--;
        close(fd);
        stats.syscalls++;
    }
}

/* One read of whatever the client has sent; a closed or failed socket is dropped. */
static void read_client(int fd)
{
    ssize_t n = read(fd, scratch, sizeof scratch);
    stats.syscalls++;
    if (n > 0) {
        stats.reads++;
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        close_client(fd);
    }
}

/* The tick's snapshots: one write per client; a short or refused write is counted and the snapshot dropped. */
static void write_all(void)
{
    for (int fd = 0; fd <= max_client_fd; fd++) {
        if (client_open[fd]) {
            ssize_t n = write(fd, snapshot, SNAPSHOT_BYTES);
            stats.syscalls++;
            if (n == SNAPSHOT_BYTES) {
                stats.writes++;
            } else {
                stats.short_writes++;
            }
        }
    }
    stats.ticks++;
}

static void run_epoll(int listen_fd, uint64_t period_ns)
{
    static struct epoll_event events[MAX_EVENTS];
    int epoll_fd = epoll_create1(0);
    int timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct itimerspec spec = { .it_interval = { .tv_sec = 0, .tv_nsec = (long) period_ns },
                               .it_value = { .tv_sec = 0, .tv_nsec = (long) period_ns } };
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = listen_fd };
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listen_fd, &ev);
    ev.data.fd = timer_fd;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, timer_fd, &ev);
    timerfd_settime(timer_fd, 0, &spec, NULL);
    while (!check_signals()) {
        int ready = epoll_wait(epoll_fd, events, MAX_EVENTS, -1);
        stats.syscalls++;
        stats.wakeups++;
        for (int i = 0; i < ready; i++) {
            int fd = events[i].data.fd;
            if (fd == listen_fd) {
                accept_all(listen_fd, epoll_fd);
            } else if (fd == timer_fd) {
                uint64_t expirations;
                stats.syscalls++;
                if (read(timer_fd, &expirations, sizeof expirations) == sizeof expirations) {
                    write_all();
                }
            } else {
                read_client(fd);
            }
        }
    }
}

/* One epoll_wait(0): accepts what is pending and reads each readable socket once. */
static void read_ready(int epoll_fd, int listen_fd)
{
    static struct epoll_event events[MAX_EVENTS];
    int ready = epoll_wait(epoll_fd, events, MAX_EVENTS, 0);
    stats.syscalls++;
    for (int i = 0; i < ready; i++) {
        if (events[i].data.fd == listen_fd) {
            accept_all(listen_fd, epoll_fd);
        } else {
            read_client(events[i].data.fd);
        }
    }
}

static void run_epoll_tick(int listen_fd, uint64_t period_ns)
{
    int epoll_fd = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = listen_fd };
    uint64_t deadline_ns = monotonic_ns() + period_ns;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listen_fd, &ev);
    while (!check_signals()) {
        struct timespec due = { .tv_sec = (time_t) (deadline_ns / 1000000000ull),
                                .tv_nsec = (long) (deadline_ns % 1000000000ull) };
        if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) != 0) {
            stats.syscalls++;
            continue;
        }
        stats.syscalls++;
        stats.wakeups++;
        read_ready(epoll_fd, listen_fd);
        write_all();
        deadline_ns += period_ns;
    }
}

/* ---- io_uring, by raw system calls ---- */

struct uring {
    int fd;
    unsigned sq_mask, cq_mask, sq_entries;
    _Atomic unsigned *sq_head, *sq_tail, *cq_head, *cq_tail;
    unsigned *sq_array;
    struct io_uring_sqe *sqes;
    struct io_uring_cqe *cqes;
    unsigned sq_local_tail;
};

enum { OP_KIND_RECV = 1, OP_KIND_SEND = 2 };

static int uring_enter(struct uring *ring, unsigned to_submit, unsigned min_complete, unsigned flags,
                       const void *arg, size_t arg_bytes)
{
    stats.syscalls++;
    return (int) syscall(__NR_io_uring_enter, ring->fd, to_submit, min_complete, flags, arg, arg_bytes);
}

static void uring_setup(struct uring *ring, unsigned entries)
{
    struct io_uring_params params;
    memset(&params, 0, sizeof params);
    params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_SINGLE_ISSUER
                   | IORING_SETUP_DEFER_TASKRUN;
    params.cq_entries = entries * 2;
    ring->fd = (int) syscall(__NR_io_uring_setup, entries, &params);
    if (ring->fd < 0) {
        perror("io_uring_setup");
        exit(1);
    }
    size_t sq_bytes = params.sq_off.array + params.sq_entries * sizeof(unsigned);
    size_t cq_bytes = params.cq_off.cqes + params.cq_entries * sizeof(struct io_uring_cqe);
    size_t ring_bytes = sq_bytes > cq_bytes ? sq_bytes : cq_bytes;
    unsigned char *sq_ptr = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring->fd,
                                 IORING_OFF_SQ_RING);
    unsigned char *cq_ptr = sq_ptr;
    if (!(params.features & IORING_FEAT_SINGLE_MMAP)) {
        cq_ptr = mmap(NULL, cq_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring->fd,
                      IORING_OFF_CQ_RING);
    }
    ring->sqes = mmap(NULL, params.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_POPULATE, ring->fd, IORING_OFF_SQES);
    if (sq_ptr == MAP_FAILED || cq_ptr == MAP_FAILED || ring->sqes == MAP_FAILED) {
        perror("mmap io_uring");
        exit(1);
    }
    ring->sq_head = (_Atomic unsigned *) (sq_ptr + params.sq_off.head);
    ring->sq_tail = (_Atomic unsigned *) (sq_ptr + params.sq_off.tail);
    ring->sq_mask = *(unsigned *) (sq_ptr + params.sq_off.ring_mask);
    ring->sq_entries = params.sq_entries;
    ring->sq_array = (unsigned *) (sq_ptr + params.sq_off.array);
    ring->cq_head = (_Atomic unsigned *) (cq_ptr + params.cq_off.head);
    ring->cq_tail = (_Atomic unsigned *) (cq_ptr + params.cq_off.tail);
    ring->cq_mask = *(unsigned *) (cq_ptr + params.cq_off.ring_mask);
    ring->cqes = (struct io_uring_cqe *) (cq_ptr + params.cq_off.cqes);
    ring->sq_local_tail = atomic_load_explicit(ring->sq_tail, memory_order_relaxed);
}

static unsigned uring_unsubmitted(struct uring *ring)
{
    return ring->sq_local_tail - atomic_load_explicit(ring->sq_head, memory_order_acquire);
}

/* Queues one operation; when the submission ring is full, submits what it holds first (without waiting). */
static void uring_queue(struct uring *ring, int opcode, int fd, void *buf, unsigned len, uint64_t kind)
{
    if (uring_unsubmitted(ring) == ring->sq_entries) {
        uring_enter(ring, uring_unsubmitted(ring), 0, 0, NULL, 0);
    }
    unsigned index = ring->sq_local_tail & ring->sq_mask;
    struct io_uring_sqe *sqe = &ring->sqes[index];
    memset(sqe, 0, sizeof *sqe);
    sqe->opcode = (unsigned char) opcode;
    sqe->fd = fd;
    sqe->addr = (uint64_t) (uintptr_t) buf;
    sqe->len = len;
    sqe->user_data = (kind << 32) | (uint32_t) fd;
    ring->sq_array[index] = index;
    ring->sq_local_tail++;
    atomic_store_explicit(ring->sq_tail, ring->sq_local_tail, memory_order_release);
}

/* Reaps every completion: counts reads and writes, marks which clients need their recv re-armed. */
static void uring_reap(struct uring *ring)
{
    unsigned head = atomic_load_explicit(ring->cq_head, memory_order_relaxed);
    unsigned tail = atomic_load_explicit(ring->cq_tail, memory_order_acquire);
    for (; head != tail; head++) {
        const struct io_uring_cqe *cqe = &ring->cqes[head & ring->cq_mask];
        int fd = (int) (uint32_t) cqe->user_data;
        if ((cqe->user_data >> 32) == OP_KIND_SEND) {
            if (cqe->res == SNAPSHOT_BYTES) {
                stats.writes++;
            } else {
                stats.short_writes++;
            }
        } else if (cqe->res > 0) {
            stats.reads++;
            recv_armed[fd] = 0;
        } else if (cqe->res == -EAGAIN || cqe->res == -EINTR) {
            recv_armed[fd] = 0;
        } else {
            close_client(fd);
        }
    }
    atomic_store_explicit(ring->cq_head, head, memory_order_release);
}

/*
 * Submits what is queued and sleeps until deadline_ns, in one io_uring_enter; DEFER_TASKRUN keeps completions from
 * waking it early, so an early return is only a signal. Returns nonzero when the loop must stop.
 */
static int uring_submit_and_sleep(struct uring *ring, uint64_t deadline_ns)
{
    for (uint64_t now_ns = monotonic_ns(); now_ns < deadline_ns; now_ns = monotonic_ns()) {
        struct __kernel_timespec wait = { .tv_sec = 0, .tv_nsec = (long long) (deadline_ns - now_ns) };
        struct io_uring_getevents_arg arg = { .ts = (uint64_t) (uintptr_t) &wait };
        uring_enter(ring, uring_unsubmitted(ring), 1u << 30, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
                    &arg, sizeof arg);
        stats.wakeups++;
        if (check_signals()) {
            return 1;
        }
    }
    if (uring_unsubmitted(ring) > 0) {
        uring_enter(ring, uring_unsubmitted(ring), 0, 0, NULL, 0);
    }
    return 0;
}

static void run_uring(int listen_fd, uint64_t period_ns)
{
    static struct uring ring;
    unsigned char *recv_bufs = malloc((size_t) MAX_FDS * INPUT_BUF_BYTES);
    uint64_t deadline_ns = monotonic_ns() + period_ns;
    uring_setup(&ring, 8192);
    while (!check_signals()) {
        uring_reap(&ring);
        accept_all(listen_fd, -1);
        for (int fd = 0; fd <= max_client_fd; fd++) {
            if (!client_open[fd]) {
                continue;
            }
            if (!recv_armed[fd]) {
                recv_armed[fd] = 1;
                uring_queue(&ring, IORING_OP_RECV, fd, recv_bufs + (size_t) fd * INPUT_BUF_BYTES, INPUT_BUF_BYTES,
                            OP_KIND_RECV);
            }
            uring_queue(&ring, IORING_OP_SEND, fd, snapshot, SNAPSHOT_BYTES, OP_KIND_SEND);
        }
        stats.ticks++;
        if (uring_submit_and_sleep(&ring, deadline_ns)) {
            return;
        }
        deadline_ns += period_ns;
    }
}

static void run_epoll_uring_send(int listen_fd, uint64_t period_ns)
{
    static struct uring ring;
    int epoll_fd = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = listen_fd };
    uint64_t deadline_ns = monotonic_ns() + period_ns;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listen_fd, &ev);
    uring_setup(&ring, 8192);
    while (!check_signals()) {
        uring_reap(&ring);
        read_ready(epoll_fd, listen_fd);
        for (int fd = 0; fd <= max_client_fd; fd++) {
            if (client_open[fd]) {
                uring_queue(&ring, IORING_OP_SEND, fd, snapshot, SNAPSHOT_BYTES, OP_KIND_SEND);
            }
        }
        stats.ticks++;
        if (uring_submit_and_sleep(&ring, deadline_ns)) {
            return;
        }
        deadline_ns += period_ns;
    }
}

int main(int argc, char **argv)
{
    int port = 7790;
    int rate_hz = 30;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--mode") == 0) {
            mode_name = argv[i + 1];
        } else if (strcmp(argv[i], "--port") == 0) {
            port = atoi(argv[i + 1]);
        } else if (strcmp(argv[i], "--rate") == 0) {
            rate_hz = atoi(argv[i + 1]);
        } else {
            fprintf(stderr, "usage: floor-server --mode epoll|epoll-tick|uring|epoll-uring-send [--port 7790] "
                            "[--rate 30]\n");
            return 2;
        }
    }
    if (rate_hz <= 0 || port <= 0 || port > 65535) {
        fprintf(stderr, "bad --rate or --port\n");
        return 2;
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigaction(SIGUSR1, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    signal(SIGPIPE, SIG_IGN);
    memset(snapshot, 0x5a, sizeof snapshot);
    client_open = calloc(MAX_FDS, 1);
    recv_armed = calloc(MAX_FDS, 1);
    int listen_fd = listen_on(port);
    uint64_t period_ns = 1000000000ull / (uint64_t) rate_hz;
    if (strcmp(mode_name, "epoll") == 0) {
        run_epoll(listen_fd, period_ns);
    } else if (strcmp(mode_name, "epoll-tick") == 0) {
        run_epoll_tick(listen_fd, period_ns);
    } else if (strcmp(mode_name, "uring") == 0) {
        run_uring(listen_fd, period_ns);
    } else if (strcmp(mode_name, "epoll-uring-send") == 0) {
        run_epoll_uring_send(listen_fd, period_ns);
    } else {
        fprintf(stderr, "unknown mode %s\n", mode_name);
        return 2;
    }
    print_counters();
    return 0;
}
