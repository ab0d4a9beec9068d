/*
 * Lesson 06: passing data to functions.
 *
 * A function that takes a view works on the caller's memory: it can read it or change
 * it in place, and it can be handed just a part (a slice) without anything being
 * copied in or out. The same function works for any exporter (bytes, bytearray, typed
 * arrays) and any stride, because it only talks to the view. Handing it a copy
 * instead protects the caller's data, at the price of the copy; handing it a
 * read-only view protects the data for free.
 *
 * The functions are written as C programmers write them: not item by item through
 * bv_view_get/bv_view_set, but with a pointer that starts at the view's buf and steps by
 * its stride, reading the item size and format once. That is all a view is: an address,
 * a shape and strides, plus the rules (read-only, format) the function must honour.
 */
#include <stdint.h>
#include <string.h>

#include "lesson.h"

/* What a loop over a 1-D view needs: where item 0 is (v->buf), how many items, and how
 * many bytes apart they are (the stride: negative for mv[::-1], more than the item size
 * for mv[::2]). Like len(view) and view[i] in Python, this fails on a released view. */
static bv_status view_1d(const bv_view *v, ptrdiff_t *count, ptrdiff_t *stride, bv_error *err)
{
    int ndim;
    const ptrdiff_t *shape, *strides;
    bv_status st = bv_view_ndim(v, &ndim, err);
    if (st == BV_OK && ndim != 1)
        st = bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR,
                          "multi-dimensional sub-views are not implemented");
    if (st == BV_OK)
        st = bv_view_shape(v, &shape, err);
    if (st == BV_OK)
        st = bv_view_strides(v, &strides, err);
    if (st == BV_OK) {
        *count = shape[0];
        *stride = strides[0];
    }
    return st;
}

/* A writer checks the view's readonly flag itself: the memory would not stop it. */
static bv_status check_writable(const bv_view *v, bv_error *err)
{
    bool readonly;
    bv_status st = bv_view_readonly(v, &readonly, err);
    if (st == BV_OK && readonly)
        st = bv_error_set(err, BV_TYPE_ERROR, "cannot modify read-only memory");
    return st;
}

/* Upper-case the ASCII letters of whatever part of memory the caller hands over. Like
 * Python's item assignment, a read-only view fails at the first letter to change. */
static bv_status shout(bv_view *v, bv_error *err)
{
    ptrdiff_t n, stride;
    bv_status st = view_1d(v, &n, &stride, err);
    if (st == BV_OK && v->itemsize != 1)
        st = bv_error_set(err, BV_TYPE_ERROR, "shout() needs a view of bytes");
    char *p = v->buf;
    for (ptrdiff_t i = 0; st == BV_OK && i < n; i++, p += stride) {
        if (*p >= 'a' && *p <= 'z') {
            st = check_writable(v, err);
            if (st == BV_OK)
                *p = (char)(*p - 'a' + 'A');
        }
    }
    return st;
}

/* One unsigned item of 1, 2, 4 or 8 bytes (memcpy: the item may be unaligned). */
static uint64_t load_unsigned(const char *p, ptrdiff_t itemsize)
{
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    switch (itemsize) {
    case 1:
        memcpy(&u8, p, 1);
        return u8;
    case 2:
        memcpy(&u16, p, 2);
        return u16;
    case 4:
        memcpy(&u32, p, 4);
        return u32;
    default:
        memcpy(&u64, p, 8);
        return u64;
    }
}

/* Sum of the items of any 1-D view of unsigned integers, whatever exports them. */
static bv_status total(const bv_view *v, uint64_t *out, bv_error *err)
{
    ptrdiff_t n, stride;
    bv_status st = view_1d(v, &n, &stride, err);
    const char c = st == BV_OK ? bv_format_char(v->format) : 0;
    if (st == BV_OK && (c == 0 || strchr("BHILQN", c) == NULL))
        st = bv_error_set(err, BV_TYPE_ERROR, "total() needs unsigned integers, not format '%s'",
                          v->format);
    if (st != BV_OK)
        return st;
    uint64_t sum = 0;
    const char *p = v->buf;
    for (ptrdiff_t i = 0; i < n; i++, p += stride)
        sum += load_unsigned(p, v->itemsize);
    *out = sum;
    return BV_OK;
}

/* Set every byte of the part handed over to one value, as readinto() fills a buffer. */
static bv_status fill(bv_view *v, unsigned value, bv_error *err)
{
    ptrdiff_t n, stride;
    bv_status st = view_1d(v, &n, &stride, err);
    if (st == BV_OK && v->itemsize != 1)
        st = bv_error_set(err, BV_TYPE_ERROR, "fill() needs a view of bytes");
    if (st == BV_OK && value > 255)
        st = bv_error_set(err, BV_VALUE_ERROR, "memoryview: invalid value for format 'B'");
    if (st == BV_OK && n > 0)
        st = check_writable(v, err);
    if (st != BV_OK)
        return st;
    char *p = v->buf;
    for (ptrdiff_t i = 0; i < n; i++, p += stride)
        *p = (char)value;
    return BV_OK;
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
    const ptrdiff_t *steps;
    CHECK(bv_view_strides(&every_other, &steps, &err), &err);
    say("view[::2] of 2-byte items: the same loop, its pointer now stepping %td bytes", steps[0]);
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
