/*
 * Lesson 05: slicing without copying.
 *
 * Slicing a view gives another view: a new start address, length and stride over the
 * same memory, made in a few nanoseconds whatever the size of the data. Writes through
 * a slice land in the exporter; a slice of a slice still points into the exporter. A
 * copy (tobytes(), or slicing bytes/bytearray directly) is new memory: it costs time in
 * proportion to its size and no longer follows the original. The timing at the end is
 * a rough, single-run illustration on 64 MiB; the benchmarks in bench/ measure it
 * properly (./run.sh bench).
 */
#define _POSIX_C_SOURCE 200809L

#include <string.h>
#include <time.h>

#include "lesson.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* x rounded to two significant figures: a ratio of two rough timings is no more exact. */
static double two_significant(double x)
{
    double scale = 1.0;
    while (x / scale >= 100.0)
        scale *= 10.0;
    return (double)(long long)(x / scale + 0.5) * scale;
}

int main(void)
{
    bv_error err;
    bv_bytearray *ba = NULL;
    bv_view mv = {0}, s = {0}, inner = {0};

    say("Lesson 05: slicing without copying");
    say("ba = bytearray(b'0123456789abcdef'); mv = memoryview(ba); s = mv[4:8]");
    CHECK(bv_bytearray_new(&ba, "0123456789abcdef", 16, &err), &err);
    CHECK(bv_view_from(&mv, bv_bytearray_exporter(ba), &err), &err);
    CHECK(bv_view_slice(&s, &mv, bv_slice_range(4, 8), &err), &err);
    fputs("bytes(s) ", stdout);
    print_tobytes(&s, 'C');

    say("The slice is a window on ba's memory: s.obj is ba, and it starts 4 bytes in.");
    char *mv_at, *s_at, *inner_at;
    CHECK(bv_view_buf(&mv, &mv_at, &err), &err);
    CHECK(bv_view_buf(&s, &s_at, &err), &err);
    say("mv at %p, s at %p (bv_view_buf gives the address of item 0)", (void *)mv_at,
        (void *)s_at);
    bv_exporter *obj = NULL;
    CHECK(bv_view_obj(&s, &obj, &err), &err);
    printf("s.obj is ba: %s\n", py_bool(obj == bv_bytearray_exporter(ba)));
    printf("s starts at offset %td\n", s_at - mv_at);

    say("A slice of a slice is still a window on ba: inner = s[1:3]");
    CHECK(bv_view_slice(&inner, &s, bv_slice_range(1, 3), &err), &err);
    CHECK(bv_view_buf(&inner, &inner_at, &err), &err);
    printf("inner starts at offset %td\n", inner_at - mv_at);
    fputs("bytes(inner) ", stdout);
    print_tobytes(&inner, 'C');

    say_break();
    say("A copy is new memory: copy = s.tobytes() (bv_view_tobytes)");
    bv_bytes *copy = NULL;
    CHECK(bv_view_tobytes(&s, 'C', &copy, &err), &err);
    say("copy's bytes are at %p", (const void *)bv_bytes_data(copy));
    printf("copy at the same address as s: %s\n",
           py_bool((const char *)bv_bytes_data(copy) == s_at));
    say("Write through the slice: s[1] = ord('X') (88). ba and inner change;");
    say("the copy does not:");
    CHECK(bv_view_set(&s, 1, bv_value_int('X'), &err), &err);
    print_bytearray(ba);
    fputs("copy ", stdout);
    bv_print_bytes(stdout, bv_bytes_data(copy), bv_bytes_size(copy));
    fputc('\n', stdout);
    fputs("bytes(inner) ", stdout);
    print_tobytes(&inner, 'C');
    bv_bytes_decref(copy);
    bv_view_release(&inner, NULL);
    bv_view_release(&s, NULL);
    bv_view_release(&mv, NULL);
    bv_bytearray_decref(ba);

    say_break();
    say("Copy vs view on a large buffer: big = bytearray(64 MiB), take [1:n-1] both ways.");
    const size_t n = (size_t)64 << 20;
    bv_bytearray *big = NULL;
    bv_view bigv = {0}, window = {0};
    CHECK(bv_bytearray_new(&big, NULL, n, &err), &err);
    CHECK(bv_view_from(&bigv, bv_bytearray_exporter(big), &err), &err);
    const bv_slice middle = bv_slice_range(1, (ptrdiff_t)n - 1);

    /* Best of 3 copies: the first may pay page faults the others also pay (fresh memory). */
    double best_copy = 1e30;
    bv_bytes *big_copy = NULL;
    for (int rep = 0; rep < 3; rep++) {
        bv_bytes_decref(big_copy);
        big_copy = NULL;
        double t0 = now_seconds();
        CHECK(bv_view_slice(&window, &bigv, middle, &err), &err);
        CHECK(bv_view_tobytes(&window, 'C', &big_copy, &err), &err);
        double t1 = now_seconds();
        bv_view_release(&window, NULL);
        if (t1 - t0 < best_copy)
            best_copy = t1 - t0;
    }

    const int slices = 100000;
    double t0 = now_seconds();
    for (int i = 0; i < slices; i++) {
        CHECK(bv_view_slice(&window, &bigv, middle, &err), &err);
        bv_view_release(&window, NULL);
    }
    double per_view = (now_seconds() - t0) / slices;

    CHECK(bv_view_slice(&window, &bigv, middle, &err), &err);
    ptrdiff_t view_len;
    CHECK(bv_view_len(&window, &view_len, &err), &err);
    printf("len(copy) %zu\n", bv_bytes_size(big_copy));
    printf("len(view) %td\n", view_len);
    char *window_at;
    CHECK(bv_view_buf(&window, &window_at, &err), &err);
    printf("same contents: %s\n",
           py_bool(memcmp(bv_bytes_data(big_copy), window_at, bv_bytes_size(big_copy)) == 0));
    say("copy: %.1f ms (best of 3, malloc + memcpy of 64 MiB)", best_copy * 1e3);
    say("view: %.1f ns per slice + release (one timed loop of %d), the same at 64 bytes",
        per_view * 1e9, slices);
    say("or 64 GiB. The copy is roughly %.0f times slower here (to 2 significant",
        two_significant(best_copy / per_view));
    say("figures: both are single runs on a shared machine and vary from run to run).");
    say("Why the view costs more here than the 1.9 ns in the README: bench/ builds its");
    say("programs with link-time optimisation, so bv_view_slice and bv_view_release");
    say("inline into the timed loop. The lessons are built without it: each slice and");
    say("release here is a call into the library, as in any program that links");
    say("libbufview_core.a without -flto; bench/ measured that at 6.7 ns (README.md).");
#if !defined(__OPTIMIZE__)
    say("This build is not optimised at all (the debug preset, with sanitizers), which");
    say("makes every call slower still.");
#endif
    say("bench/ measures copy vs view properly across sizes (./run.sh bench).");

    bv_view_release(&window, NULL);
    bv_view_release(&bigv, NULL);
    bv_bytes_decref(big_copy);
    bv_bytearray_decref(big);
    say("Next: lesson 06, passing views to functions.");
    return 0;
}
