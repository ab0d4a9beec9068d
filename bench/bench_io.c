/*
 * bench_io.c: the everyday reasons Python programmers reach for memoryview: consuming a
 * buffer from the front, reading a file, receiving from a socket, each by making new
 * objects and by viewing one buffer. The step is BENCH_STEP (64 KiB) throughout.
 *
 * consume/copy/<n> is `while data: data = data[k:]` over the dataset's first n bytes:
 * each step makes a new bytes object of what is left (bv_bytes_new of n-off bytes, copied
 * from the previous one) and drops the previous one, so n^2/2k bytes are copied in all,
 * each new object of 128 KiB or more on fresh pages (a one-off copy, as CPython's is).
 * consume/view/<n> advances a view instead (`mv = mv[k:]`: bv_view_slice of the current
 * view, the old one released): nothing is copied. The copy grows as n^2, the view as n.
 *
 * io/read/copy/<n> reads a file's first n bytes front to back in 64 KiB chunks, each into
 * a new block (bench_malloc + read(): what f.read(k) does, a new bytes object per chunk);
 * io/read/view/<n> reads each chunk into its slice of one resident buffer of n bytes
 * (f.readinto(mv[off:off+k])). io/recv/copy and io/recv/view do the same with recv() on
 * an AF_UNIX stream socketpair fed by a writer thread. The kernel copies every byte in all
 * four (page cache or socket buffer to the process), so what a view saves here is a new
 * block per chunk, not the copy. Their limits (bench/families.json): a copy variant gets
 * the same 64 KiB heap block back chunk after chunk, which stays in the cache, so reading n
 * bytes (baseline/read) bounds it; a view variant writes all n bytes of its buffer to
 * memory, so memcpy into resident memory (baseline/memcpy) bounds it.
 *
 * The file is the dataset written once, when the first io/read run needs it, to an
 * unlinked file (so it is gone when the program exits, however it exits) in /dev/shm
 * (tmpfs: page-cache pages that are never written back to a disk nor evicted; writing 4
 * GiB to a file on this machine's disk took 14 s of throttled writeback) or, without a
 * writable /dev/shm, in $TMPDIR or /tmp. Every run first reads the range it will read
 * (outside the timer), so the pages are resident and backed when the timer starts.
 *
 * The writer thread belongs to the benchmark (the harness and bufview stay
 * single-threaded: the thread only calls send()). It starts with the first io/recv run;
 * before each run it is told the size n and sends the dataset's first n bytes over and
 * over in 64 KiB sends; after each run it is stopped and the socket drained, so no run
 * inherits another's bytes and nothing reads the dataset while the harness changes it.
 * It ends when the program does.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "bench_common.h"
#include "dataset.h"   /* bench_data_warm, bench_memory_allows */
#include "sysinfo.h"   /* bench_sys_now, bench_sys_fmt_size */

/* The largest size of the consume families: consume/copy copies n^2/2k bytes, each byte
 * onto a fresh page (from 128 KiB), so it grows 16 times per size step (x4). At 16 MiB it
 * copies 2 GiB, about 4-6 s per iteration here (bench/README.md); 64 MiB would copy 32
 * GiB, over a minute per iteration. bench/python_bench.py's CONSUME_MAX is the same. */
#define CONSUME_MAX ((uint64_t)16 * 1024 * 1024)
/* From one step: below it there is nothing to consume in steps. */
#define CONSUME_MIN ((uint64_t)BENCH_STEP)

/* ---- consume ----------------------------------------------------------------------- */

static void run_consume_copy(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    const unsigned char *first_src = x->d->src + BENCH_STEP;
    const unsigned char *first_dst = NULL;
    bv_status bad = BV_OK;
    for (int64_t i = 0; i < iters && bad == BV_OK; i++) {
        const unsigned char *p = x->d->src;
        size_t left = x->n;
        bv_bytes *cur = NULL;
        while (left > 0) {
            const size_t step = left < BENCH_STEP ? left : BENCH_STEP;
            bv_bytes *next;
            bad = bv_bytes_new(&next, p + step, left - step, NULL);
            if (bad != BV_OK)
                break;
            if (cur != NULL)
                bv_bytes_decref(cur);
            else
                first_dst = bv_bytes_data(next);
            cur = next;
            p = bv_bytes_data(next);
            left -= step;
        }
        bvb_escape(cur);
        bv_bytes_decref(cur);
    }
    bench_check(st, bad, "bv_bytes_new");
    /* Where the first (largest) new object was placed; later ones copy from one new
     * object to the next, both at the destination's page offset. */
    if (first_dst != NULL)
        bench_note_placement(st, first_src, first_dst);
    bvb_set_bytes_processed(st, iters * (int64_t)x->n);
}

static void run_consume_view(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    bv_status bad = BV_OK;
    for (int64_t i = 0; i < iters && bad == BV_OK; i++) {
        /* Two views in turn: the next is sliced from the current, then the current is
         * released (views are not moved while a slice of them may be taken). */
        bv_view v[2];
        int c = 0;
        bad = bv_view_slice(&v[0], &x->d->base, bv_slice_range(0, (ptrdiff_t)x->n), NULL);
        if (bad != BV_OK)
            break;
        while (v[c].len > 0) {
            const ptrdiff_t step = v[c].len < (ptrdiff_t)BENCH_STEP ? v[c].len
                                                                    : (ptrdiff_t)BENCH_STEP;
            bad = bv_view_slice(&v[c ^ 1], &v[c], bv_slice_range(step, v[c].len), NULL);
            if (bad != BV_OK)
                break;
            bad |= bv_view_release(&v[c], NULL);
            c ^= 1;
        }
        bvb_escape(&v[c]);
        bad |= bv_view_release(&v[c], NULL);
    }
    bench_check(st, bad, "bv_view_slice/bv_view_release");
    bvb_set_bytes_processed(st, iters * (int64_t)x->n);
}

/* ---- the file and the socket ------------------------------------------------------- */

enum { WRITER_IDLE, WRITER_SEND, WRITER_EXIT };

static struct {
    int fd;                  /* the unlinked file, or -1 */
    size_t file_bytes;       /* its size: the dataset's first file_bytes bytes */
    const unsigned char *file_src;  /* the dataset it was written from */
    char where[300];         /* its directory and file system */
    int sock[2];             /* [0]: the benchmark receives, [1]: the writer sends */
    bool writer_started;
    pthread_t writer;
    pthread_mutex_t lock;
    pthread_cond_t wake;     /* the writer waits here while idle */
    int state;               /* WRITER_*, under lock */
    bool sending;            /* the writer is between two checks of state, under lock */
    const unsigned char *src;
    size_t span;             /* it sends src[0:span] over and over */
} g_io = {.fd = -1, .sock = {-1, -1}, .lock = PTHREAD_MUTEX_INITIALIZER,
          .wake = PTHREAD_COND_INITIALIZER};

/* The directory for the file: /dev/shm when it is a writable tmpfs, else $TMPDIR or /tmp. */
static const char *file_dir(const char **fs)
{
    struct statfs sfs;
    if (statfs("/dev/shm", &sfs) == 0 && sfs.f_type == 0x01021994 /* TMPFS_MAGIC */ &&
        access("/dev/shm", W_OK) == 0) {
        *fs = "tmpfs";
        return "/dev/shm";
    }
    const char *t = getenv("TMPDIR");
    *fs = "the file system of the directory";
    return t != NULL && *t != '\0' ? t : "/tmp";
}

/* Write the dataset's first `size` bytes to a new unlinked file. */
static bool file_make(bvb_state *st, const unsigned char *src, size_t size)
{
    char why[400];
    if (!bench_memory_allows(size, "the file in the page cache", why, sizeof why)) {
        bvb_skip_with_error(st, why);
        return false;
    }
    if (g_io.fd >= 0)
        close(g_io.fd);
    g_io.fd = -1;
    const char *fs;
    const char *dir = file_dir(&fs);
    char path[4096];
    snprintf(path, sizeof path, "%s/bufview-bench-io.XXXXXX", dir);
    double t0 = bench_sys_now();
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, sizeof why, "skipped: cannot create a file in %s: %s", dir,
                 strerror(errno));
        bvb_skip_with_error(st, why);
        return false;
    }
    unlink(path);
    for (size_t off = 0; off < size;) {
        ssize_t w = write(fd, src + off, size - off < BENCH_STEP * 256 ? size - off
                                                                       : BENCH_STEP * 256);
        if (w <= 0) {
            snprintf(why, sizeof why, "skipped: cannot write the file in %s: %s", dir,
                     w < 0 ? strerror(errno) : "no progress");
            close(fd);
            bvb_skip_with_error(st, why);
            return false;
        }
        off += (size_t)w;
    }
    g_io.fd = fd;
    g_io.file_bytes = size;
    g_io.file_src = src;
    snprintf(g_io.where, sizeof g_io.where, "%s (%s), unlinked at once", dir, fs);
    char sz[32];
    fprintf(stderr, "bench_bufview: file of %s written in %s in %.2f s (not timed)\n",
            bench_sys_fmt_size(sz, sizeof sz, size), g_io.where, bench_sys_now() - t0);
    return true;
}

/* Read the file's first n bytes (through `into`, or a small buffer), so every page of it
 * is resident and backed when the timer starts. */
static bool file_warm(bvb_state *st, size_t n, unsigned char *into)
{
    static unsigned char sink[BENCH_STEP];
    for (size_t off = 0; off < n;) {
        size_t want = n - off < BENCH_STEP ? n - off : BENCH_STEP;
        ssize_t r = pread(g_io.fd, into != NULL ? into + off : sink, want, (off_t)off);
        if (r <= 0) {
            bvb_skip_with_error(st, "reading the file to warm it failed");
            return false;
        }
        off += (size_t)r;
    }
    return true;
}

static void *writer_main(void *arg)
{
    (void)arg;
    size_t off = 0;
    pthread_mutex_lock(&g_io.lock);
    for (;;) {
        g_io.sending = false;
        while (g_io.state == WRITER_IDLE)
            pthread_cond_wait(&g_io.wake, &g_io.lock);
        if (g_io.state == WRITER_EXIT)
            break;
        g_io.sending = true;
        const unsigned char *src = g_io.src;
        const size_t span = g_io.span;
        pthread_mutex_unlock(&g_io.lock);
        if (off >= span)
            off = 0;
        const size_t len = span - off < BENCH_STEP ? span - off : BENCH_STEP;
        ssize_t w = send(g_io.sock[1], src + off, len, MSG_NOSIGNAL);
        pthread_mutex_lock(&g_io.lock);
        if (w < 0 && errno != EINTR) {
            g_io.state = WRITER_EXIT;   /* the reading end is gone */
            break;
        }
        if (w > 0)
            off += (size_t)w;
    }
    g_io.sending = false;
    pthread_cond_broadcast(&g_io.wake);
    pthread_mutex_unlock(&g_io.lock);
    return NULL;
}

static bool writer_start(bvb_state *st)
{
    char why[300];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_io.sock) != 0) {
        snprintf(why, sizeof why, "skipped: socketpair failed: %s", strerror(errno));
        bvb_skip_with_error(st, why);
        return false;
    }
    g_io.state = WRITER_IDLE;
    int e = pthread_create(&g_io.writer, NULL, writer_main, NULL);
    if (e != 0) {
        snprintf(why, sizeof why, "skipped: cannot start the writer thread: %s", strerror(e));
        close(g_io.sock[0]);
        close(g_io.sock[1]);
        g_io.sock[0] = g_io.sock[1] = -1;
        bvb_skip_with_error(st, why);
        return false;
    }
    g_io.writer_started = true;
    return true;
}

/* Stop the writer and empty the socket: afterwards the writer waits, idle. */
static void writer_stop(void)
{
    if (!g_io.writer_started)
        return;
    static unsigned char sink[BENCH_STEP];
    pthread_mutex_lock(&g_io.lock);
    if (g_io.state == WRITER_SEND)
        g_io.state = WRITER_IDLE;
    pthread_mutex_unlock(&g_io.lock);
    for (;;) {
        /* A send the writer is blocked in finishes once the socket has room. */
        while (recv(g_io.sock[0], sink, sizeof sink, MSG_DONTWAIT) > 0) {
        }
        pthread_mutex_lock(&g_io.lock);
        bool busy = g_io.sending;
        pthread_mutex_unlock(&g_io.lock);
        if (!busy)
            break;
        sched_yield();
    }
    while (recv(g_io.sock[0], sink, sizeof sink, MSG_DONTWAIT) > 0) {
    }
}

static void writer_go(const unsigned char *src, size_t span)
{
    pthread_mutex_lock(&g_io.lock);
    if (g_io.state != WRITER_EXIT) {
        g_io.src = src;
        g_io.span = span;
        g_io.state = WRITER_SEND;
        pthread_cond_broadcast(&g_io.wake);
    }
    pthread_mutex_unlock(&g_io.lock);
}

static void io_shutdown(void)
{
    if (g_io.writer_started) {
        writer_stop();
        pthread_mutex_lock(&g_io.lock);
        g_io.state = WRITER_EXIT;
        pthread_cond_broadcast(&g_io.wake);
        pthread_mutex_unlock(&g_io.lock);
        pthread_join(g_io.writer, NULL);
        g_io.writer_started = false;
    }
    for (int i = 0; i < 2; i++)
        if (g_io.sock[i] >= 0)
            close(g_io.sock[i]);
    if (g_io.fd >= 0)
        close(g_io.fd);
    g_io.fd = -1;
}

/* ---- read and recv ----------------------------------------------------------------- */

#define IO_READ_FAMILY "io/read/"
#define IO_RECV_FAMILY "io/recv/"

static void prepare(bvb_state *st, bench_ctx *x)
{
    const char *name = x->c->name;
    unsigned char *buf = (x->c->flags & BENCH_NEEDS_SCRATCH) ? x->d->scratch : NULL;
    if (strncmp(name, IO_READ_FAMILY, strlen(IO_READ_FAMILY)) == 0) {
        if ((g_io.fd < 0 || g_io.file_bytes < x->n || g_io.file_src != x->d->src) &&
            !file_make(st, x->d->src, x->d->top))
            return;
        file_warm(st, x->n, buf);
    } else if (strncmp(name, IO_RECV_FAMILY, strlen(IO_RECV_FAMILY)) == 0) {
        if (!g_io.writer_started && !writer_start(st))
            return;
        /* What the run touches: the bytes the writer sends, the buffer it receives into. */
        bench_data_warm(x->d, x->n, buf != NULL);
        writer_go(x->d->src, x->n);
    }
}

static void finish(bvb_state *st, bench_ctx *x)
{
    (void)st;
    if (strncmp(x->c->name, IO_RECV_FAMILY, strlen(IO_RECV_FAMILY)) == 0)
        writer_stop();
}

/* Read or receive n bytes in chunks of at most 64 KiB: into a new block per call (copy)
 * or into the next slice of buf (view). A short read or receive leaves the rest of the
 * chunk for the next call, as Python's loops do. Returns false on an error or end of
 * data. Always inlined, so each caller's loop is compiled for its constants. */
static inline __attribute__((always_inline)) bool
take(int fd, bool is_socket, size_t n, unsigned char *buf)
{
    for (size_t got = 0; got < n;) {
        const size_t want = n - got < BENCH_STEP ? n - got : BENCH_STEP;
        unsigned char *p = buf != NULL ? buf + got : bench_malloc(want);
        if (p == NULL)
            return false;
        ssize_t r = is_socket ? recv(fd, p, want, 0) : read(fd, p, want);
        if (buf == NULL) {
            bvb_escape(p);
            bench_free(p);
        }
        if (r <= 0) {
            if (r < 0 && errno == EINTR)
                continue;
            return false;
        }
        got += (size_t)r;
    }
    return true;
}

static void run_read(bvb_state *st, int64_t iters, const bench_ctx *x, unsigned char *buf)
{
    bool ok = true;
    for (int64_t i = 0; i < iters && ok; i++)
        ok = lseek(g_io.fd, 0, SEEK_SET) == 0 && take(g_io.fd, false, x->n, buf);
    if (!ok)
        bvb_skip_with_error(st, "read() failed or ended early in the timed loop");
    bvb_clobber_memory();
    bvb_set_bytes_processed(st, iters * (int64_t)x->n);
}

static void run_recv(bvb_state *st, int64_t iters, const bench_ctx *x, unsigned char *buf)
{
    bool ok = true;
    for (int64_t i = 0; i < iters && ok; i++)
        ok = take(g_io.sock[0], true, x->n, buf);
    if (!ok)
        bvb_skip_with_error(st, "recv() failed or the writer stopped in the timed loop");
    bvb_clobber_memory();
    bvb_set_bytes_processed(st, iters * (int64_t)x->n);
}

static void run_read_copy(bvb_state *st, int64_t iters, void *user)
{
    run_read(st, iters, user, NULL);
}

static void run_read_view(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    run_read(st, iters, x, x->d->scratch);
}

static void run_recv_copy(bvb_state *st, int64_t iters, void *user)
{
    run_recv(st, iters, user, NULL);
}

static void run_recv_view(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    run_recv(st, iters, x, x->d->scratch);
}

/* consume/copy's new objects are one-off copies on fresh pages from 128 KiB (BENCH_FRESH),
 * n^2/2k bytes of them per iteration (BENCH_RESLICE, for the repetition rule). The io
 * copies are 64 KiB blocks, below the allocator's threshold: glibc's heap, no faults, so
 * no BENCH_COPIES/BENCH_FRESH. None of io reads the dataset in its loop (BENCH_NO_DATA:
 * prepare() warms the file, the dataset the writer sends and the buffer instead). */
static const bench_case cases[] = {
    {"consume/copy", run_consume_copy, BENCH_COPIES | BENCH_FRESH | BENCH_RESLICE, CONSUME_MIN,
     CONSUME_MAX},
    /* Views read no data byte: BENCH_O1, though it takes n/k slices. */
    {"consume/view", run_consume_view, BENCH_O1, CONSUME_MIN, CONSUME_MAX},
    {"io/read/copy", run_read_copy, BENCH_NO_DATA, 0, 0},
    {"io/read/view", run_read_view, BENCH_NO_DATA | BENCH_NEEDS_SCRATCH, 0, 0},
    {"io/recv/copy", run_recv_copy, BENCH_NO_DATA, 0, 0},
    {"io/recv/view", run_recv_view, BENCH_NO_DATA | BENCH_NEEDS_SCRATCH, 0, 0},
};

/* Where the file lives and how the socket is fed, in every result's context. */
static void io_begin(void)
{
    const char *fs;
    const char *dir = file_dir(&fs);
    char where[400];
    snprintf(where, sizeof where,
             "io/read/...: an unlinked file in %s (%s) holding the dataset, written when first "
             "needed; io/recv/...: an AF_UNIX stream socketpair, a writer thread sending the "
             "dataset's first n bytes in %zu-byte sends; chunks of %zu bytes",
             dir, fs, BENCH_STEP, BENCH_STEP);
    bvb_add_context("bufview_io", where);
}

const bench_suite bench_io_suite = {.name = "io",
                                    .cases = cases,
                                    .ncases = sizeof cases / sizeof *cases,
                                    .prepare = prepare,
                                    .finish = finish,
                                    .begin = io_begin,
                                    .end = io_shutdown};
