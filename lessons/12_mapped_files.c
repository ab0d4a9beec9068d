/*
 * Lesson 12: zero-copy files.
 *
 * A memory-mapped file is an exporter like any other: its buffer IS the file's pages,
 * shared with the operating system's page cache. A view over it reads and writes the
 * file without read() or write() calls and without loading it: pages are brought in
 * only when touched, so a 16 MiB (or 16 GiB) file costs only the pages you use.
 * flush() writes dirty pages back (msync). The mapping is an exporter with an export
 * lock of its own: it refuses to close while a view is alive.
 */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lesson.h"

/* Page faults so far, minor (page already in memory) and major (read from disk). */
static long page_faults(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt + ru.ru_majflt;
}

/* A new empty file in $TMPDIR (or /tmp); the caller removes it. */
static void make_temp_file(char *path, size_t cap)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, cap, "%s/bufview-lesson12-XXXXXX", dir != NULL && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        exit(EXIT_FAILURE);
    }
    close(fd);
}

/* The whole file, read with ordinary file I/O, printed as bytes. */
static void print_file(const char *path)
{
    char data[64];
    FILE *f = fopen(path, "rb");
    size_t n = f != NULL ? fread(data, 1, sizeof data, f) : 0;
    if (f != NULL)
        fclose(f);
    bv_print_bytes(stdout, data, n);
    fputc('\n', stdout);
}

int main(void)
{
    bv_error err;
    char path[512];

    say("Lesson 12: zero-copy files");
    make_temp_file(path, sizeof path);
    say("A temporary file %s holding b'hello, mapped file!\\n'", path);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fputs("hello, mapped file!\n", f) < 0 || fclose(f) != 0) {
        perror(path);
        return EXIT_FAILURE;
    }

    say("mm = mmap.mmap(...) over the whole file (bv_mapped_open, writable);");
    say("mv = memoryview(mm)");
    bv_mapped *mm = NULL;
    bv_view mv = {0}, head = {0};
    CHECK(bv_mapped_open(&mm, path, true, &err), &err);
    CHECK(bv_view_from(&mv, bv_mapped_exporter(mm), &err), &err);
    ptrdiff_t len;
    CHECK(bv_view_len(&mv, &len, &err), &err);
    printf("len(mv) %td\n", len);
    char *mv_at;
    CHECK(bv_view_buf(&mv, &mv_at, &err), &err);
    say("The view's memory is the mapping (mv at %p), no read() happened:", (void *)mv_at);
    CHECK(bv_view_slice(&head, &mv, bv_slice_range(0, 5), &err), &err);
    print_tobytes(&head, 'C');
    bv_view_release(&head, NULL);

    say("mv[0:5] = b'HELLO'; mm.flush(); then read the file with ordinary file I/O:");
    bv_bytes *loud = NULL;
    CHECK(bv_bytes_new(&loud, "HELLO", 5, &err), &err);
    CHECK(bv_view_assign_slice(&mv, bv_slice_range(0, 5), bv_bytes_exporter(loud), &err),
          &err);
    bv_bytes_decref(loud);
    CHECK(bv_mapped_flush(mm, &err), &err);
    print_file(path);

    say("Closing the mapping under a live view is refused; after release it works,");
    say("and the closed mapping can no longer be viewed:");
    show_error(bv_mapped_close(mm, &err), &err);
    CHECK(bv_view_release(&mv, &err), &err);
    CHECK(bv_mapped_close(mm, &err), &err);
    show_error(bv_view_from(&mv, bv_mapped_exporter(mm), &err), &err);
    bv_mapped_decref(mm);

    say_break();
    say("A read-only mapping (access=mmap.ACCESS_READ) gives read-only views:");
    bool readonly;
    CHECK(bv_mapped_open(&mm, path, false, &err), &err);
    CHECK(bv_view_from(&mv, bv_mapped_exporter(mm), &err), &err);
    CHECK(bv_view_readonly(&mv, &readonly, &err), &err);
    printf("readonly %s\n", py_bool(readonly));
    show_error(bv_view_set(&mv, 0, bv_value_int('h'), &err), &err);
    bv_view_release(&mv, NULL);
    bv_mapped_decref(mm);

    say_break();
    say("Only touched pages cost anything. A 16 MiB file (sparse: ftruncate), one byte");
    say("written in the middle through a view, flushed, and read back with pread():");
    const size_t big = (size_t)16 << 20;
    const ptrdiff_t middle = (ptrdiff_t)(big / 2);
    if (truncate(path, (off_t)big) != 0) {
        perror(path);
        return EXIT_FAILURE;
    }
    long faults_before = page_faults();
    CHECK(bv_mapped_open(&mm, path, true, &err), &err);
    CHECK(bv_view_from(&mv, bv_mapped_exporter(mm), &err), &err);
    CHECK(bv_view_set(&mv, middle, bv_value_int(42), &err), &err);
    CHECK(bv_mapped_flush(mm, &err), &err);
    long faults = page_faults() - faults_before;
    bv_view_release(&mv, NULL);
    bv_mapped_decref(mm);
    int fd = open(path, O_RDONLY);
    unsigned char byte = 0;
    if (fd < 0 || pread(fd, &byte, 1, (off_t)middle) != 1) {
        perror(path);
        return EXIT_FAILURE;
    }
    close(fd);
    printf("byte at offset %td: %u\n", middle, byte);
    say("%ld page fault(s) while mapping 16 MiB and writing one byte: only the pages",
        faults);
    say("touched are ever brought into memory (4 KiB each, 4096 in this file).");

    say_break();
    say("Errors are what open() and mmap.mmap() raise: an empty file, a missing file:");
    if (truncate(path, 0) != 0) {
        perror(path);
        return EXIT_FAILURE;
    }
    show_error(bv_mapped_open(&mm, path, true, &err), &err);
    show_error(bv_mapped_open(&mm, "bufview-lesson12-missing.bin", true, &err), &err);

    remove(path);
    say("Next: lesson 13, where bufview goes beyond CPython.");
    return 0;
}
