/*
 * Lesson 16: the re-slicing trap.
 *
 * A parser or protocol handler often consumes its input from the front: take k bytes,
 * then data = data[k:] and go on. On bytes that slice is a copy of the whole rest, made
 * at every step, so consuming n bytes copies (n-k) + (n-2k) + ... + 0 = n(n-k)/2k bytes:
 * about n^2/2k, quadratic in n. Double the input and the copying quadruples; at a few
 * hundred megabytes it takes longer than anything else the program does. A view makes
 * the same step with mv = mv[k:], a new start address and length over the same memory:
 * nothing is copied, whatever n is. The lesson counts the bytes each loop copies from
 * what it really made (the size of each new bytes object), beside the formula.
 */
#include "lesson.h"

enum { K = 4096 };

/* while data: process(data[:K]); data = data[K:]  -- on a bytes object */
static size_t consume_bytes(const unsigned char *content, size_t n, uint32_t *crc)
{
    bv_error err;
    bv_bytes *data = NULL;
    size_t copied = 0;
    CHECK(bv_bytes_new(&data, content, n, &err), &err);
    *crc = 0;
    while (bv_bytes_size(data) > 0) {
        const size_t len = bv_bytes_size(data);
        const size_t take = len < K ? len : K;
        *crc = lesson_crc32(*crc, bv_bytes_data(data), take);
        bv_bytes *rest = NULL;   /* data[K:]: a new bytes object holding the rest */
        CHECK(bv_bytes_new(&rest, bv_bytes_data(data) + take, len - take, &err), &err);
        copied += bv_bytes_size(rest);
        bv_bytes_decref(data);
        data = rest;
    }
    bv_bytes_decref(data);
    return copied;
}

/* mv = memoryview(data); while mv: process(mv[:K]); mv = mv[K:] */
static size_t consume_view(const unsigned char *content, size_t n, uint32_t *crc)
{
    bv_error err;
    bv_bytes *data = NULL;
    bv_view mv = {0};
    size_t copied = 0;   /* no bytes object is made below, so nothing adds to it */
    CHECK(bv_bytes_new(&data, content, n, &err), &err);
    CHECK(bv_view_from(&mv, bv_bytes_exporter(data), &err), &err);
    *crc = 0;
    while (mv.len > 0) {
        const size_t take = mv.len < K ? (size_t)mv.len : K;
        *crc = lesson_crc32(*crc, mv.buf, take);
        bv_view rest = {0};
        bv_slice tail = {K, 0, 1, true, false, false};   /* [K:] */
        CHECK(bv_view_slice(&rest, &mv, tail, &err), &err);
        CHECK(bv_view_release(&mv, &err), &err);
        mv = rest;   /* a released view may be overwritten; rest is now the only owner */
    }
    CHECK(bv_view_release(&mv, &err), &err);
    bv_bytes_decref(data);
    return copied;
}

int main(void)
{
    say("Lesson 16: the re-slicing trap");
    say("Consume n bytes %d at a time: data = data[k:] on bytes, mv = mv[k:] on a view.", K);
    const size_t sizes[] = {256 * 1024, 512 * 1024, 1024 * 1024};
    static unsigned char content[1024 * 1024];
    for (size_t i = 0; i < sizeof content; i++)
        content[i] = (unsigned char)i;

    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        const size_t n = sizes[s];
        printf("n %zu k %d steps %zu\n", n, K, n / K);
        uint32_t crc_bytes, crc_view;
        size_t copied = consume_bytes(content, n, &crc_bytes);
        printf("bytes: data = data[k:] copied %zu bytes (n*n/2k = %zu, exactly n*(n-k)/2k = %zu)\n",
               copied, n * n / (2 * K), n * (n - K) / (2 * K));
        copied = consume_view(content, n, &crc_view);
        printf("view: mv = mv[k:] copied %zu bytes\n", copied);
        printf("same chunks consumed: %s\n",
               py_bool(crc_bytes == crc_view && crc_view == lesson_crc32(0, content, n)));
    }
    say("Each doubling of n quadruples the copying; the view copies nothing at any n.");
    say("At 1 GiB in 64 KiB steps, data = data[k:] would copy about 8 TiB.");
    say("Next: lesson 17, formats beyond 'B'.");
    return 0;
}
