/*
 * Lesson 06: passing data to functions.
 *
 * A function that takes a view works on the caller's memory: it can read it or change
 * it in place, and it can be handed just a part (a slice) without anything being
 * copied in or out. The same function works for any exporter (bytes, bytearray, typed
 * arrays) and any stride, because it only talks to the view. Handing it a copy
 * instead protects the caller's data, at the price of the copy; handing it a
 * read-only view protects the data for free.
 */
#include <stdint.h>

#include "lesson.h"

/* Upper-case the ASCII letters of whatever part of memory the caller hands over. */
static bv_status shout(bv_view *v, bv_error *err)
{
    ptrdiff_t n;
    bv_status st = bv_view_len(v, &n, err);
    for (ptrdiff_t i = 0; st == BV_OK && i < n; i++) {
        bv_value c;
        st = bv_view_get(v, i, &c, err);
        if (st == BV_OK && c.as.u >= 'a' && c.as.u <= 'z')
            st = bv_view_set(v, i, bv_value_uint(c.as.u - 32), err);
    }
    return st;
}

/* Sum of the items of any 1-D view of unsigned integers, whatever exports them. */
static bv_status total(const bv_view *v, uint64_t *out, bv_error *err)
{
    ptrdiff_t n;
    uint64_t sum = 0;
    bv_status st = bv_view_len(v, &n, err);
    for (ptrdiff_t i = 0; st == BV_OK && i < n; i++) {
        bv_value item;
        st = bv_view_get(v, i, &item, err);
        if (st == BV_OK)
            sum += item.as.u;
    }
    if (st == BV_OK)
        *out = sum;
    return st;
}

/* Set every byte of the part handed over to one value, as readinto() fills a buffer. */
static bv_status fill(bv_view *v, unsigned value, bv_error *err)
{
    ptrdiff_t n;
    bv_status st = bv_view_len(v, &n, err);
    for (ptrdiff_t i = 0; st == BV_OK && i < n; i++)
        st = bv_view_set(v, i, bv_value_uint(value), err);
    return st;
}

int main(void)
{
    bv_error err;
    bv_bytearray *text = NULL;
    bv_view mv = {0}, part = {0};

    say("Lesson 06: passing data to functions");
    say("text = bytearray(b'hello, world'); mv = memoryview(text)");
    CHECK(bv_bytearray_new(&text, "hello, world", 12, &err), &err);
    CHECK(bv_view_from(&mv, bv_bytearray_exporter(text), &err), &err);

    say("shout(mv[7:]) changes the caller's data in place, only the part it was given:");
    CHECK(bv_view_slice(&part, &mv, bv_slice_range(7, 12), &err), &err);
    CHECK(shout(&part, &err), &err);
    bv_view_release(&part, NULL);
    print_bytearray(text);

    say_break();
    say("Handing over a copy protects the caller: copy = bytearray(mv[0:5]); shout(copy)");
    bv_bytearray *copy = NULL;
    bv_view copy_view = {0};
    CHECK(bv_view_slice(&part, &mv, bv_slice_range(0, 5), &err), &err);
    char *part_at;
    ptrdiff_t part_len;
    CHECK(bv_view_buf(&part, &part_at, &err), &err);
    CHECK(bv_view_nbytes(&part, &part_len, &err), &err);
    CHECK(bv_bytearray_new(&copy, part_at, (size_t)part_len, &err), &err);
    bv_view_release(&part, NULL);
    CHECK(bv_view_from(&copy_view, bv_bytearray_exporter(copy), &err), &err);
    CHECK(shout(&copy_view, &err), &err);
    bv_view_release(&copy_view, NULL);
    print_bytearray(copy);
    print_bytearray(text);
    bv_bytearray_decref(copy);

    say("A read-only view protects it without a copy: shout(mv.toreadonly()) fails");
    say("at the first letter it tries to change, and text is unchanged:");
    bv_view ro = {0};
    CHECK(bv_view_toreadonly(&ro, &mv, &err), &err);
    show_error(shout(&ro, &err), &err);
    bv_view_release(&ro, NULL);
    print_bytearray(text);

    say_break();
    say("One reading function, any exporter and any stride: total(view)");
    bv_bytes *b = NULL;
    bv_array *arr = NULL;
    const uint16_t numbers[] = {1000, 2000, 3000};
    bv_view v = {0}, every_other = {0};
    uint64_t sum;
    CHECK(bv_bytes_new(&b, "\x01\x02\x03", 3, &err), &err);
    CHECK(bv_array_new(&arr, 'H', numbers, 3, &err), &err);

    CHECK(bv_view_from(&v, bv_bytes_exporter(b), &err), &err);
    CHECK(total(&v, &sum, &err), &err);
    bv_view_release(&v, NULL);
    printf("total(memoryview(b'\\x01\\x02\\x03')) %llu\n", (unsigned long long)sum);

    CHECK(total(&mv, &sum, &err), &err);
    printf("total(memoryview(text)) %llu\n", (unsigned long long)sum);

    CHECK(bv_view_from(&v, bv_array_exporter(arr), &err), &err);
    CHECK(total(&v, &sum, &err), &err);
    printf("total(memoryview(array('H', [1000, 2000, 3000]))) %llu\n",
           (unsigned long long)sum);
    CHECK(bv_view_slice(&every_other, &v, bv_slice_make(0, 3, 2), &err), &err);
    CHECK(total(&every_other, &sum, &err), &err);
    printf("total(that view[::2]) %llu\n", (unsigned long long)sum);
    bv_view_release(&every_other, NULL);
    bv_view_release(&v, NULL);
    bv_array_decref(arr);
    bv_bytes_decref(b);

    say_break();
    say("A function can fill the caller's buffer piece by piece, like readinto():");
    say("out = bytearray(12); fill(memoryview(out)[4*k:4*k+4], k+1) for k in 0, 1, 2");
    bv_bytearray *out = NULL;
    bv_view outv = {0};
    CHECK(bv_bytearray_new(&out, NULL, 12, &err), &err);
    CHECK(bv_view_from(&outv, bv_bytearray_exporter(out), &err), &err);
    for (ptrdiff_t k = 0; k < 3; k++) {
        CHECK(bv_view_slice(&part, &outv, bv_slice_range(4 * k, 4 * k + 4), &err), &err);
        CHECK(fill(&part, (unsigned)k + 1, &err), &err);
        bv_view_release(&part, NULL);
    }
    bv_view_release(&outv, NULL);
    print_bytearray(out);
    bv_bytearray_decref(out);

    bv_view_release(&mv, NULL);
    bv_bytearray_decref(text);
    say("Next: lesson 07, why a bytearray refuses to resize while it is viewed.");
    return 0;
}
