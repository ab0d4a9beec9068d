/*
 * bufview/mapped.h: a memory-mapped file exporter, like Python's mmap.mmap over a whole file.
 *
 * Why: a view of a mapped file lets a program work on a multi-GB file without reading it
 * into memory; pages are faulted in only when touched.
 *
 * Errors follow what Python's open() + mmap.mmap() raise: a missing file is
 * FileNotFoundError "[Errno 2] No such file or directory: 'path'", an unreadable one
 * PermissionError "[Errno 13] Permission denied: 'path'", other system errors OSError
 * "[Errno N] <strerror>: 'path'", an empty file ValueError "cannot mmap an empty file".
 *
 * Ownership: bv_mapped_open() returns an object holding one reference; drop it with
 * bv_mapped_decref(). The mapping stays until the last reference (including every export)
 * is gone. bv_mapped_close() unmaps early, but refuses while exported with BufferError
 * "cannot close exported pointers exist", as mmap.close() does; after it, a buffer
 * request is ValueError "mmap closed or invalid".
 */
#ifndef BUFVIEW_MAPPED_H
#define BUFVIEW_MAPPED_H

#include <stdbool.h>
#include <stddef.h>

#include "bufview/buffer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bv_mapped bv_mapped;

/* Map the whole file, shared. writable false: read-only mapping whose views are
 * read-only (a writable request is BufferError "Object is not writable."). */
bv_status bv_mapped_open(bv_mapped **out, const char *path, bool writable, bv_error *err);
bv_exporter *bv_mapped_exporter(bv_mapped *m);
void bv_mapped_decref(bv_mapped *m);   /* NULL is ignored */

void *bv_mapped_data(bv_mapped *m);         /* NULL after close */
size_t bv_mapped_size(const bv_mapped *m);  /* 0 after close */
bool bv_mapped_writable(const bv_mapped *m);
ptrdiff_t bv_mapped_exports(const bv_mapped *m);

/* Write dirty pages back to the file (msync). Closed: ValueError "mmap closed or invalid";
 * a read-only mapping has nothing to write and succeeds, as mmap.flush() does. */
bv_status bv_mapped_flush(bv_mapped *m, bv_error *err);
bv_status bv_mapped_close(bv_mapped *m, bv_error *err);

#ifdef __cplusplus
}
#endif
#endif
