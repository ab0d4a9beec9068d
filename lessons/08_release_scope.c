/*
 * Lesson 08: release and scope.
 *
 * A view holds the exporter's buffer (and with it the export lock and a reference that
 * keeps the exporter alive) until it is released. After release every use fails with
 * ValueError, so a stale view cannot touch memory it no longer owns. Python's
 * `with memoryview(x) as m:` releases on every way out of the block; the C idiom is a
 * view that starts zeroed ({0}), one exit label, and an unconditional
 * bv_view_release() there: releasing a zeroed or already released view is harmless.
 */
#include <string.h>

#include "lesson.h"

/* with memoryview(ba) as m: m[index] = value */
static bv_status set_one(bv_bytearray *ba, ptrdiff_t index, int value, bv_error *err)
{
    bv_view m = {0};
    bv_status st = bv_view_from(&m, bv_bytearray_exporter(ba), err);
    if (st != BV_OK)
        goto done;
    st = bv_view_set(&m, index, bv_value_int(value), err);
    if (st != BV_OK)
        goto done;
    /* ...more work with m, each failure jumping to done... */
done:
    bv_view_release(&m, NULL);
    return st;
}

int main(void)
{
    bv_error err;
    bv_bytearray *ba = NULL;
    bv_view mv = {0};
    bv_value item;
    ptrdiff_t n;

    say("Lesson 08: release and scope");
    say("ba = bytearray(b'abc'); mv = memoryview(ba); mv.release()");
    CHECK(bv_bytearray_new(&ba, "abc", 3, &err), &err);
    CHECK(bv_view_from(&mv, bv_bytearray_exporter(ba), &err), &err);
    CHECK(bv_view_release(&mv, &err), &err);
    say("Every use of a released view fails: mv[0], len(mv), mv.tobytes(), mv.readonly");
    show_error(bv_view_get(&mv, 0, &item, &err), &err);
    show_error(bv_view_len(&mv, &n, &err), &err);
    bv_bytes *copy = NULL;
    show_error(bv_view_tobytes(&mv, 'C', &copy, &err), &err);
    bool readonly;
    show_error(bv_view_readonly(&mv, &readonly, &err), &err);
    say("Releasing again is allowed and does nothing:");
    printf("mv.release() again: %s\n",
           bv_view_release(&mv, &err) == BV_OK ? "no error" : err.message);
    say("Its repr still works (the address is masked, it differs between C and Python):");
    bv_str text = {0};
    CHECK(bv_repr_view(&text, &mv, &err), &err);
    say("%s", bv_str_cstr(&text));
    const char *at = strstr(bv_str_cstr(&text), "0x");
    printf("%.*s0x...>\n", at != NULL ? (int)(at - bv_str_cstr(&text)) : 0,
           bv_str_cstr(&text));
    bv_str_free(&text);
    say("In C a zero-initialised bv_view behaves exactly like a released one, which is");
    say("why `bv_view v = {0};` and an unconditional release on the way out are safe.");
    say("(Python has no such thing, so this one is narrative, not compared:)");
    bv_view zeroed = {0};
    if (bv_view_len(&zeroed, &n, &err) != BV_OK)
        say("len of a zeroed view -> %s: %s", bv_status_name(err.kind), err.message);

    say_break();
    say("Python's `with`, in C: set_one() opens a view, writes, and releases it on every");
    say("way out. `with memoryview(ba) as m: m[0] = ord('A')`, then ba.append(ord('d'))");
    say("works because nothing holds the buffer any more:");
    CHECK(set_one(ba, 0, 'A', &err), &err);
    CHECK(bv_bytearray_append(ba, 'd', &err), &err);
    print_bytearray(ba);
    say("The same on the error path: `with memoryview(ba) as m: m[10] = 1` fails, the");
    say("view is released anyway, and ba can still grow:");
    show_error(set_one(ba, 10, 1, &err), &err);
    CHECK(bv_bytearray_append(ba, 'e', &err), &err);
    print_bytearray(ba);

    say_break();
    say("A view cannot be released while something holds a buffer taken from it:");
    say("m = memoryview(ba); held = pickle.PickleBuffer(m); m.release()");
    bv_view m = {0};
    bv_buffer held = {0};
    CHECK(bv_view_from(&m, bv_bytearray_exporter(ba), &err), &err);
    CHECK(bv_buffer_get(bv_view_exporter(&m), &held, BV_BUF_FULL_RO, &err), &err);
    show_error(bv_view_release(&m, &err), &err);
    printf("m released: %s\n", py_bool(bv_view_is_released(&m)));
    say("held.release() (bv_buffer_release), then m.release() works:");
    bv_buffer_release(&held);
    CHECK(bv_view_release(&m, &err), &err);
    printf("m released: %s\n", py_bool(bv_view_is_released(&m)));

    say_break();
    say("A view keeps its exporter alive: mv = memoryview(bytes(b'xyz')), and the");
    say("program drops its own reference to the bytes (bv_bytes_decref) at once:");
    bv_bytes *b = NULL;
    CHECK(bv_bytes_new(&b, "xyz", 3, &err), &err);
    CHECK(bv_view_from(&mv, bv_bytes_exporter(b), &err), &err);
    bv_bytes_decref(b);
    print_tobytes(&mv, 'C');
    say("the bytes are freed only now, by the view's release:");
    bv_view_release(&mv, NULL);

    bv_bytearray_decref(ba);
    say("Next: lesson 09, typed items and formats.");
    return 0;
}
