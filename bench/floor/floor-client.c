/*
 * I/O floor client: N loopback TCP connections on one thread. Each sends an 18-byte input per tick, spread evenly
 * over the tick, and reads whatever the server writes. After the duration it prints one report line:
 *   floor-client clients=N connected=C seconds=S sent=X send_failures=F bytes_received=B missing_writes=M
 * where missing_writes counts 30-byte snapshots each connection should have received at the tick rate since its
 * first byte and did not.
 *
 *   floor-client [--port 7790] [--clients 1000] [--rate 30] [--duration 20]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define INPUT_BYTES 18
#define SNAPSHOT_BYTES 30
#define MAX_EVENTS 4096

struct connection {
    int fd;
    uint64_t bytes_received;
    uint64_t first_byte_ns;
};

static uint64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

static int connect_one(int port)
{
    int one = 1;
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t) port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *) &addr, sizeof addr) != 0) {
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

static void read_ready(struct connection *conn, uint64_t now_ns)
{
    static unsigned char buf[65536];
    ssize_t n = read(conn->fd, buf, sizeof buf);
    if (n > 0) {
        if (conn->bytes_received == 0) {
            conn->first_byte_ns = now_ns;
        }
        conn->bytes_received += (uint64_t) n;
    }
}

int main(int argc, char **argv)
{
    int port = 7790, clients = 1000, rate_hz = 30, duration_s = 20;
    for (int i = 1; i + 1 < argc; i += 2) {
        int value = atoi(argv[i + 1]);
        if (strcmp(argv[i], "--port") == 0) {
            port = value;
        } else if (strcmp(argv[i], "--clients") == 0) {
            clients = value;
        } else if (strcmp(argv[i], "--rate") == 0) {
            rate_hz = value;
        } else if (strcmp(argv[i], "--duration") == 0) {
            duration_s = value;
        } else {
            fprintf(stderr, "usage: floor-client [--port 7790] [--clients 1000] [--rate 30] [--duration 20]\n");
            return 2;
        }
    }
    if (clients <= 0 || rate_hz <= 0 || duration_s <= 0) {
        fprintf(stderr, "bad arguments\n");
        return 2;
    }
    struct rlimit limit = { .rlim_cur = (rlim_t) clients + 64, .rlim_max = (rlim_t) clients + 64 };
    setrlimit(RLIMIT_NOFILE, &limit);
    signal(SIGPIPE, SIG_IGN);
    struct connection *conns = calloc((size_t) clients, sizeof *conns);
    int epoll_fd = epoll_create1(0);
    int connected = 0;
    for (int i = 0; i < clients; i++) {
        conns[i].fd = connect_one(port);
        if (conns[i].fd >= 0) {
            struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t) i };
            epoll_ctl(epoll_fd, EPOLL_CTL_ADD, conns[i].fd, &ev);
            connected++;
        }
    }
    static struct epoll_event events[MAX_EVENTS];
    static const unsigned char input[INPUT_BYTES] = { 1 };
    const uint64_t period_ns = 1000000000ull / (uint64_t) rate_hz;
    const uint64_t start_ns = monotonic_ns();
    const uint64_t end_ns = start_ns + (uint64_t) duration_s * 1000000000ull;
    uint64_t sent = 0, send_failures = 0, tick_start_ns = start_ns;
    int next_sender = 0;
    for (uint64_t now_ns = start_ns; now_ns < end_ns; now_ns = monotonic_ns()) {
        /* Client i sends at tick start + i/N of the period, so inputs arrive spread over the tick. */
        uint64_t due_ns = tick_start_ns + period_ns * (uint64_t) next_sender / (uint64_t) clients;
        while (due_ns <= now_ns) {
            if (conns[next_sender].fd >= 0) {
                if (write(conns[next_sender].fd, input, INPUT_BYTES) == INPUT_BYTES) {
                    sent++;
                } else {
                    send_failures++;
                }
            }
            if (++next_sender == clients) {
                next_sender = 0;
                tick_start_ns += period_ns;
            }
            due_ns = tick_start_ns + period_ns * (uint64_t) next_sender / (uint64_t) clients;
        }
        int timeout_ms = (int) ((due_ns - now_ns + 999999) / 1000000);
        int ready = epoll_wait(epoll_fd, events, MAX_EVENTS, timeout_ms);
        now_ns = monotonic_ns();
        for (int i = 0; i < ready; i++) {
            read_ready(&conns[events[i].data.u32], now_ns);
        }
    }
    uint64_t bytes_received = 0, missing = 0, stop_ns = monotonic_ns();
    for (int i = 0; i < clients; i++) {
        if (conns[i].fd < 0) {
            continue;
        }
        bytes_received += conns[i].bytes_received;
        uint64_t expected = conns[i].bytes_received == 0 ? (stop_ns - start_ns) / period_ns
                                                         : (stop_ns - conns[i].first_byte_ns) / period_ns + 1;
        uint64_t got = conns[i].bytes_received / SNAPSHOT_BYTES;
        missing += expected > got + 1 ? expected - got - 1 : 0;
        close(conns[i].fd);
    }
    printf("floor-client clients=%d connected=%d seconds=%.1f sent=%llu send_failures=%llu bytes_received=%llu "
           "missing_writes=%llu\n", clients, connected, (double) (stop_ns - start_ns) / 1e9,
           (unsigned long long) sent, (unsigned long long) send_failures, (unsigned long long) bytes_received,
           (unsigned long long) missing);
    return 0;
}
