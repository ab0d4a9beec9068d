/*
 * Lesson 15: zero-copy I/O, reading and receiving straight into a buffer.
 *
 * The everyday reason Python programmers reach for memoryview: f.read(k) returns a new
 * bytes object per call, and putting the pieces together copies every byte once more;
 * f.readinto(mv[off:off + k]) lets the kernel write each piece straight to its final
 * place in one preallocated buffer, so nothing is copied after the read. In C this is
 * read(2) into the slice's address: a view slice is just (buf, len) to hand to the
 * system call. The same holds for sockets: sock.recv_into(mv[got:]) receives in place,
 * and a send() that takes only part of the data is continued with mv[sent:], a view of
 * the rest, where data[sent:] would copy the whole rest for every call. The socket here
 * has a small send buffer and is non-blocking, so the partial sends really happen.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lesson.h"

enum { N = 1000000, CHUNK = 64 * 1024, SNDBUF = 4096 };

static void die(const char *what)
{
    fflush(stdout);
    perror(what);
    exit(EXIT_FAILURE);
}

/* A file of N bytes 0, 1, ..., 250, 0, 1, ... in $TMPDIR (or /tmp). */
static void make_file(char *path, size_t cap)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, cap, "%s/bufview-lesson15-XXXXXX", dir != NULL && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        die("mkstemp");
    static unsigned char content[N];
    for (size_t i = 0; i < N; i++)
        content[i] = (unsigned char)(i % 251);
    if (write(fd, content, N) != N)
        die("write");
    close(fd);
}

static off_t file_size(int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        die("fstat");
    return st.st_size;
}

/* data = b"".join(f.read(CHUNK) ...): each read lands in a new chunk of its own, and
 * the join copies every chunk into the result. Returns the result (malloc). */
static unsigned char *read_and_join(const char *path, size_t size, int *calls, size_t *copied)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        die("open");
    unsigned char *chunks[N / CHUNK + 1];
    size_t lengths[N / CHUNK + 1];
    int count = 0;
    for (size_t got = 0; got < size; count++) {
        chunks[count] = malloc(CHUNK);
        if (chunks[count] == NULL)
            die("malloc");
        ssize_t n = read(fd, chunks[count], CHUNK);
        if (n <= 0)
            die("read");
        lengths[count] = (size_t)n;
        got += (size_t)n;
    }
    close(fd);
    unsigned char *data = malloc(size);
    if (data == NULL)
        die("malloc");
    size_t at = 0;
    for (int i = 0; i < count; i++) {
        memcpy(data + at, chunks[i], lengths[i]);
        at += lengths[i];
        *copied += lengths[i];
        free(chunks[i]);
    }
    *calls = count;
    return data;
}

int main(void)
{
    bv_error err;
    char path[512];

    say("Lesson 15: zero-copy I/O");
    make_file(path, sizeof path);
    say("A file of %d bytes (0, 1, ..., 250, 0, 1, ...) at %s, read in %d KiB pieces", N,
        path, CHUNK / 1024);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        die("open");
    const size_t size = (size_t)file_size(fd);
    printf("file size %zu\n", size);

    say_break();
    say("The copying way: chunk = f.read(CHUNK) until done, then data = b''.join(chunks).");
    say("Every read makes a new object, and join copies each byte once more:");
    int calls = 0;
    size_t copied = 0;
    unsigned char *data = read_and_join(path, size, &calls, &copied);
    printf("read + join: %zu bytes in %d reads, %zu bytes copied after reading\n", size, calls,
           copied);
    printf("crc32 0x%08x\n", (unsigned)lesson_crc32(0, data, size));

    say_break();
    say("The view way: buf = bytearray(size); mv = memoryview(buf); then");
    say("n = f.readinto(mv[off:off + CHUNK]); off += n. In C: read(fd, slice.buf, slice.len).");
    bv_bytearray *buf = NULL;
    bv_view mv = {0}, window = {0};
    CHECK(bv_bytearray_new(&buf, NULL, size, &err), &err);
    CHECK(bv_view_from(&mv, bv_bytearray_exporter(buf), &err), &err);
    calls = 0;
    copied = 0;
    size_t off = 0;
    while (off < size) {
        CHECK(bv_view_slice(&window, &mv, bv_slice_range((ptrdiff_t)off, (ptrdiff_t)(off + CHUNK)),
                            &err),
              &err);
        ssize_t n = read(fd, window.buf, (size_t)window.len);
        CHECK(bv_view_release(&window, &err), &err);
        if (n <= 0)
            die("read");
        calls++;
        off += (size_t)n;
    }
    close(fd);
    remove(path);
    printf("readinto: %zu bytes in %d reads, %zu bytes copied after reading\n", off, calls,
           copied);
    const unsigned char *bytes = bv_bytearray_data(buf);
    printf("crc32 0x%08x\n", (unsigned)lesson_crc32(0, bytes, size));
    printf("same contents: %s\n", py_bool(memcmp(bytes, data, size) == 0));
    free(data);
    say("Each read wrote its piece where it belongs; the only copy was the kernel's.");

    say_break();
    say("a, b = socket.socketpair(); a.setsockopt(SOL_SOCKET, SO_SNDBUF, %d);", SNDBUF);
    say("both non-blocking. Send buf with sent += a.send(mv[sent:]) and receive it with");
    say("received += b.recv_into(inv[received:]) into a second preallocated buffer:");
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        die("socketpair");
    const int sndbuf = SNDBUF;
    if (setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf) != 0)
        die("setsockopt");
    for (int i = 0; i < 2; i++)
        if (fcntl(sv[i], F_SETFL, fcntl(sv[i], F_GETFL) | O_NONBLOCK) != 0)
            die("fcntl");
    bv_bytearray *inbuf = NULL;
    bv_view inv = {0}, rest = {0};
    CHECK(bv_bytearray_new(&inbuf, NULL, size, &err), &err);
    CHECK(bv_view_from(&inv, bv_bytearray_exporter(inbuf), &err), &err);
    size_t sent = 0, received = 0, would_copy = 0;
    int sends = 0, partial = 0, refused = 0, recvs = 0;
    while (received < size) {
        if (sent < size) {
            if (sent > 0)
                would_copy += size - sent;   /* what data[sent:] would have copied */
            CHECK(bv_view_slice(&rest, &mv, bv_slice_range((ptrdiff_t)sent, (ptrdiff_t)size),
                                &err),
                  &err);
            ssize_t n = send(sv[0], rest.buf, (size_t)rest.len, 0);
            CHECK(bv_view_release(&rest, &err), &err);
            if (n >= 0) {
                sends++;
                if ((size_t)n < size - sent)
                    partial++;
                sent += (size_t)n;
            } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
                refused++;
            } else {
                die("send");
            }
        }
        CHECK(bv_view_slice(&rest, &inv, bv_slice_range((ptrdiff_t)received, (ptrdiff_t)size),
                            &err),
              &err);
        ssize_t k = recv(sv[1], rest.buf, (size_t)rest.len, 0);
        CHECK(bv_view_release(&rest, &err), &err);
        if (k > 0) {
            recvs++;
            received += (size_t)k;
        } else if (k == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            die("recv");
        }
    }
    close(sv[0]);
    close(sv[1]);
    say("%d send() calls, %d of them partial, %d refused (EAGAIN); %d recv_into() calls", sends,
        partial, refused, recvs);
    printf("partial sends happened: %s\n", py_bool(partial > 0));
    printf("sent %zu received %zu bytes copied 0\n", sent, received);
    printf("crc32 0x%08x\n", (unsigned)lesson_crc32(0, bv_bytearray_data(inbuf), size));
    printf("same contents: %s\n",
           py_bool(memcmp(bv_bytearray_data(inbuf), bv_bytearray_data(buf), size) == 0));
    say("sending data[sent:] (bytes) instead of mv[sent:] would have copied %zu bytes",
        would_copy);
    say("(lesson 16 counts that trap exactly)");

    bv_view_release(&inv, NULL);
    bv_view_release(&mv, NULL);
    bv_bytearray_decref(inbuf);
    bv_bytearray_decref(buf);
    say("Next: lesson 16, the re-slicing trap.");
    return 0;
}
