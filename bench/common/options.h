/*
 * options.h: a benchmark program's command line: bufview's own options (sizes, placement,
 * output, progress) taken out, Google Benchmark's flags passed through after the
 * defaults bufview chooses, so the user's flags win. The size rule lives here and only
 * here: the driver and the CPython script ask a program for its sizes (--list-sizes).
 *
 * Ownership: bench_options_parse() allocates the flag vector (gb_argv), freed by
 * bench_options_free(); the strings in it point into argv or into static storage.
 */
#ifndef BUFVIEW_BENCH_OPTIONS_H
#define BUFVIEW_BENCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_MAX_SIZES 64

typedef struct bench_options {
    const char *program;
    uint64_t top;                    /* largest size */
    int64_t sizes[BENCH_MAX_SIZES];  /* 1 KiB, x factor while below the top, the top */
    size_t nsizes;
    unsigned factor;
    bool quick;
    bool listing;                    /* --benchmark_list_tests: no run, no file */
    const char *out_dir;
    bool user_out;                   /* --benchmark_out given: no file of ours */
    const char *progress_file;       /* NULL: none */
    unsigned src_page_offset;        /* page offset of the slice's first source byte */
    unsigned dst_page_offset;        /* page offset of a new copy's first data byte */
    const char *placement_source;    /* who measured the offsets, for the context */
    bool placement_given;
    uint64_t layout_bytes;           /* the one size of the layout family */
    int repetitions;                 /* 0: bufview's rule */
    const char *min_time, *warmup;   /* effective values, for the context */
    double min_time_s, warmup_s;     /* the same as numbers, set on every instance */
    char **gb_argv;                  /* argv for the library, NULL-terminated */
    int gb_argc;
} bench_options;

/* Parse argv. Returns -1 to go on and run, otherwise the exit status to return now
 * (0 after --help or --list-sizes, 2 for a usage error, both already reported). */
int bench_options_parse(bench_options *o, int argc, char **argv, const char *program);
void bench_options_free(bench_options *o);

#endif
