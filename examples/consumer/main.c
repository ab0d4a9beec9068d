/*
 * consumer: map a file, slice it, print the slice. A program outside bufview, built
 * against the installed library (find_package or pkg-config) or with bufview's sources
 * (add_subdirectory); README.md's "Use it from your project" shows all three.
 *
 *   consumer FILE START STOP    prints bytes(memoryview(mmap(FILE))[START:STOP])
 *
 * The slice is a window on the mapping: no byte of the file is read or copied until the
 * slice is printed.
 */
#include <stdio.h>
#include <stdlib.h>

#include <bufview/bufview.h>

static int fail(const bv_error *err)
{
    bv_error_print(err, stderr);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s FILE START STOP\n", argv[0]);
        return 2;
    }
    ptrdiff_t start = (ptrdiff_t)strtoll(argv[2], NULL, 10);
    ptrdiff_t stop = (ptrdiff_t)strtoll(argv[3], NULL, 10);

    bv_error err;
    bv_mapped *file = NULL;
    if (bv_mapped_open(&file, argv[1], false, &err) != BV_OK)
        return fail(&err);
    bv_view all, part;
    int status = 0;
    if (bv_view_from(&all, bv_mapped_exporter(file), &err) != BV_OK) {
        status = fail(&err);
    } else {
        if (bv_view_slice(&part, &all, bv_slice_range(start, stop), &err) != BV_OK) {
            status = fail(&err);
        } else {
            /* buf and len are a view's public, read-only fields. */
            bv_print_bytes(stdout, part.buf, (size_t)part.len);
            printf("\n%td bytes at offset %td of %td, not copied\n", part.len,
                   part.buf - all.buf, all.len);
            bv_view_release(&part, NULL);
        }
        bv_view_release(&all, NULL);
    }
    bv_mapped_decref(file);   /* the mapping goes once the last view is released */
    return status;
}
