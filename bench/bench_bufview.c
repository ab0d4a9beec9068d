/*
 * bench_bufview.c: the benchmark program: every suite of cases (one source file each:
 * bench_baseline.c, bench_slice.c, bench_pass.c, bench_chunks.c, bench_modify.c,
 * bench_io.c) run by one bench_main(), in one process, on one dataset, their repetitions
 * interleaved at random, so that each family and the limit line it is judged against are
 * measured in the same minutes (bench/README.md).
 */
#include "bench_common.h"

extern const bench_suite bench_baseline_suite, bench_slice_suite, bench_pass_suite,
    bench_chunks_suite, bench_modify_suite, bench_io_suite;

int main(int argc, char **argv)
{
    static const bench_suite *const suites[] = {&bench_baseline_suite, &bench_slice_suite,
                                                &bench_pass_suite, &bench_chunks_suite,
                                                &bench_modify_suite, &bench_io_suite};
    return bench_main(argc, argv, "bench_bufview", suites, sizeof suites / sizeof *suites);
}
