/*
 * output.h: the results file a program writes, <out-dir>/results/<program>.json, by way
 * of a temporary file in the same directory renamed at the end: an interrupted or failed
 * run (a signal included) leaves the previous file as it was, never half a file.
 */
#ifndef BUFVIEW_BENCH_OUTPUT_H
#define BUFVIEW_BENCH_OUTPUT_H

#include <stdbool.h>

/* Prepare the directory and the temporary name; returns the --benchmark_out flag to pass
 * to the library (static storage), or NULL after printing why not. */
const char *bench_output_begin(const char *out_dir, const char *program);
/* Rename the temporary file into place when `ok` and it has content, else remove it.
 * Returns false (after printing why) when the rename failed. */
bool bench_output_finish(bool ok);
/* The final path ("" before bench_output_begin). */
const char *bench_output_path(void);

#endif
