/*
 * bvbench.h: a thin C interface to Google Benchmark (Debian's libbenchmark 1.7.1).
 *
 * Google Benchmark is C++ only and its per-iteration call, State::KeepRunning(), is an
 * inline C++ function that C cannot call cheaply. This shim turns the model around: a C
 * benchmark is one function that is handed an iteration count and runs its own loop, so
 * each timed run costs exactly one call across the language boundary and the library's
 * iteration count stays exact:
 *
 *     static void run_memcpy(bvb_state *st, int64_t iters, void *user)
 *     {
 *         struct buffers *b = user;
 *         for (int64_t i = 0; i < iters; i++) {
 *             memcpy(b->dst, b->src, b->n);
 *             bvb_clobber_memory();          // the copy is observable: keep it
 *         }
 *         bvb_set_bytes_processed(st, iters * (int64_t)b->n);
 *     }
 *     ...
 *     bvb_range(bvb_register("memcpy", run_memcpy, &bufs), 1024, 1 << 20, 4);
 *     return bvb_main(argc, argv);
 *
 * Google Benchmark calls the function several times per benchmark: calibration runs with
 * growing counts, then one run per repetition. Whatever is expensive to build (datasets)
 * belongs outside the run function, built once and shared (see the setup hook below).
 *
 * Ownership and lifetimes:
 * - bvb_register() copies the name. The returned bvb_bench is owned by the shim and stays
 *   valid until the process exits; the configuration calls below return it for chaining
 *   (and pass a NULL through, so a chain on a failed registration does nothing).
 * - `user` pointers (per benchmark and for the run hooks) are borrowed, never freed by the
 *   shim; they must stay valid until bvb_run()/bvb_main() returns.
 * - A bvb_state is valid only during the callback it was passed to; do not keep it.
 * - Every string passed in (counter names, labels, error messages, context) is copied.
 *
 * What is timed: the whole run function call, nothing else. Setup/teardown hooks and the
 * global run hooks run outside the timer. Keep allocation, logging and checks that are
 * not the thing measured out of the run function's loop: accumulate statuses and check
 * them after the loop (bvb_pause()/bvb_resume() cost about 200 ns each).
 *
 * Not thread-safe: register, configure and run from one thread. Multi-threaded benchmarks
 * are not exposed.
 */
#ifndef BUFVIEW_BVBENCH_H
#define BUFVIEW_BVBENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- keeping the optimiser honest ---------------------------------------------------
 * C has no DoNotOptimize/ClobberMemory; empty asm statements do the same job. They emit
 * no instruction; they only stop the compiler from proving a result unused. */

/* The compiler must assume *p (and everything reachable through it) is read here. */
static inline void bvb_escape(const void *p)
{
    __asm__ volatile("" : : "r"(p) : "memory");
}

/* The compiler must assume all memory may be read and written here: writes before it
 * happen, reads after it are not hoisted above it. */
static inline void bvb_clobber_memory(void)
{
    __asm__ volatile("" : : : "memory");
}

/* The value of the scalar lvalue x (integer or pointer) is used and may have changed.
 * Stops the compiler from computing x at compile time or dropping the work that made it. */
#define bvb_do_not_optimize(x) __asm__ volatile("" : "+r"(x) : : "memory")

/* ---- registering benchmarks ------------------------------------------------------- */

typedef struct bvb_state bvb_state;   /* one run of one benchmark instance */
typedef struct bvb_bench bvb_bench;   /* a registered benchmark family */

/* Run `iterations` iterations, all timed. Called once per timed run. */
typedef void (*bvb_run_fn)(bvb_state *st, int64_t iterations, void *user);
/* Setup, teardown and run hooks: called outside the timed region. */
typedef void (*bvb_hook_fn)(bvb_state *st, void *user);

typedef enum bvb_time_unit {
    BVB_NANOSECOND,
    BVB_MICROSECOND,
    BVB_MILLISECOND,
    BVB_SECOND
} bvb_time_unit;

/* Register a benchmark family named `name`; each argument tuple added below becomes one
 * instance named "name/arg0/arg1...". With no arguments there is one instance, "name".
 * Returns NULL only when name or run is NULL. */
bvb_bench *bvb_register(const char *name, bvb_run_fn run, void *user);

/* One instance with a single argument (Benchmark::Arg). */
bvb_bench *bvb_arg(bvb_bench *b, int64_t x);
/* One instance with n arguments (Benchmark::Args); every tuple of a family must have the
 * same length. */
bvb_bench *bvb_args(bvb_bench *b, const int64_t *xs, size_t n);
/* Instances lo, then powers of `multiplier` strictly between, then hi (Benchmark::Range
 * with RangeMultiplier; multiplier < 2 means the library's default, 8). */
bvb_bench *bvb_range(bvb_bench *b, int64_t lo, int64_t hi, int multiplier);
/* Instances lo, lo+step, ... up to hi inclusive (Benchmark::DenseRange). */
bvb_bench *bvb_dense_range(bvb_bench *b, int64_t lo, int64_t hi, int step);

/* Time unit used when printing (default: nanoseconds). */
bvb_bench *bvb_unit(bvb_bench *b, bvb_time_unit unit);
/* Wall-clock time, not this thread's CPU time, decides the iteration count and is what
 * rates divide by. Right for memory-bound work and page faults. */
bvb_bench *bvb_use_real_time(bvb_bench *b);
/* Run until at least `seconds` were measured (overrides --benchmark_min_time). Exclusive
 * with bvb_iterations(). */
bvb_bench *bvb_min_time(bvb_bench *b, double seconds);
/* Run the benchmark for at least `seconds` before measuring (Benchmark::MinWarmUpTime; at
 * least one iteration). Google Benchmark uses it only together with bvb_min_time(); a
 * value of 0 leaves --benchmark_min_warmup_time in effect. */
bvb_bench *bvb_min_warmup_time(bvb_bench *b, double seconds);
/* Run exactly n iterations in one run, no calibration. Exclusive with bvb_min_time(). */
bvb_bench *bvb_iterations(bvb_bench *b, int64_t n);
/* Repeat each instance n times and add mean/median/stddev/cv rows (overrides
 * --benchmark_repetitions). */
bvb_bench *bvb_repetitions(bvb_bench *b, int n);
/* Add "min" and "max" rows to the aggregates that repetitions produce (after Google
 * Benchmark's mean, median, stddev and cv), so the spread over repetitions is in the
 * results beside the median. */
bvb_bench *bvb_spread(bvb_bench *b);
/* Called around every run of every instance of this family (calibration runs and
 * repetitions included), outside the timed region: setup before, teardown after. Setup
 * may call bvb_skip_with_error(); the run function is then not called, teardown still is.
 * Either may be NULL. They receive the benchmark's `user` pointer. */
bvb_bench *bvb_setup(bvb_bench *b, bvb_hook_fn setup, bvb_hook_fn teardown);

/* ---- inside a run (or a hook) ----------------------------------------------------- */

/* The instance's i-th argument; 0 when it has fewer than i+1 arguments. */
int64_t bvb_state_range(const bvb_state *st, size_t i);
/* Iterations completed by this run: exact once the run function has returned, 0 before
 * (in a setup hook or a before-run hook). */
int64_t bvb_state_iterations(const bvb_state *st);
/* Iterations this run will perform (what the run function is handed). */
int64_t bvb_state_max_iterations(const bvb_state *st);
/* The family's registered name (without arguments). */
const char *bvb_state_name(const bvb_state *st);

/* Bytes processed by this whole run (not per iteration). Reported as bytes_per_second, a
 * rate over the measured time; the console prints it in binary units (GiB/s), the JSON
 * output holds plain bytes per second. */
void bvb_set_bytes_processed(bvb_state *st, int64_t bytes);
/* Items processed by this whole run; reported as items_per_second. */
void bvb_set_items_processed(bvb_state *st, int64_t items);

/* Counter flags: the same meaning as benchmark::Counter::Flags, applied in this order:
 * RATE (divide by the measured seconds), AVG_THREADS, ITERATION_INVARIANT (multiply by
 * the iteration count), AVG_ITERATIONS (divide by the iteration count), INVERT last
 * (1/x). BVB_COUNTER_1024 selects binary prefixes (Ki, Mi, Gi) for printing. Combine
 * with |. (Macros, not an enum: INVERT does not fit in a C enum's int.) */
#define BVB_COUNTER_DEFAULT 0u
#define BVB_COUNTER_RATE (1u << 0)
#define BVB_COUNTER_AVG_THREADS (1u << 1)
#define BVB_COUNTER_ITERATION_INVARIANT (1u << 2)
#define BVB_COUNTER_AVG_ITERATIONS (1u << 3)
#define BVB_COUNTER_1024 (1u << 16)
#define BVB_COUNTER_INVERT (1u << 31)
/* Set (or replace) the user counter `name` for this run. Call it after the timed loop:
 * it builds a std::string and touches a std::map. */
void bvb_counter(bvb_state *st, const char *name, double value, unsigned flags);
/* A free-form label printed next to the result. */
void bvb_set_label(bvb_state *st, const char *label);

/* Stop and restart the timer within a run; about 200 ns each, so only around work that
 * is long compared with that. Every pause needs a resume before the run function returns. */
void bvb_pause(bvb_state *st);
void bvb_resume(bvb_state *st);

/* Mark this run as failed with a message: the result is reported as an error with the
 * message and no timings, and the other benchmarks still run. Called from a setup hook,
 * the run function is not called; called from the run function, return promptly. */
void bvb_skip_with_error(bvb_state *st, const char *message);
bool bvb_error_occurred(const bvb_state *st);

/* ---- whole-program settings --------------------------------------------------------- */

/* Hooks called around every run of every benchmark, outside the timed region: `before`
 * after the benchmark's own setup (skipped when setup reported an error), `after` when
 * the run function has returned (skipped on error) and before teardown. Measuring
 * harnesses use them to reset and read resource counters and add them with bvb_counter().
 * Pass NULLs to remove them. */
void bvb_set_run_hooks(bvb_hook_fn before, bvb_hook_fn after, void *user);

/* Add "key": "value" to the output's context (machine description). */
void bvb_add_context(const char *key, const char *value);

typedef struct bvb_run_options {
    /* Report names as "family/args" only. Google Benchmark appends "/real_time",
     * "/min_time:0.100", "/iterations:N" and "/repeats:N" when those settings are made per
     * benchmark, which would make the last part of a name something else than the
     * argument. With this on, the display and the --benchmark_out file get plain names,
     * and a "$" in --benchmark_filter also matches before the left-out suffixes (so
     * "memcpy/1024$" works). --benchmark_list_tests still prints the full names. */
    bool plain_names;
    /* When > 0, a file descriptor that receives one tab-separated line per finished
     * benchmark instance, for a driver to show progress without parsing the console:
     *     result <TAB> name <TAB> median_ns <TAB> min_ns <TAB> max_ns <TAB> repetitions
     *     error <TAB> name <TAB> message
     * (median = min = max for a single repetition; real time in nanoseconds). */
    int progress_fd;
} bvb_run_options;

typedef struct bvb_run_result {
    size_t matched;    /* benchmark instances that matched the filter (0: nothing ran) */
    size_t errors;     /* instances that reported an error (bvb_skip_with_error) */
} bvb_run_result;

typedef enum bvb_run_status {
    BVB_RUN_OK = 0,
    BVB_RUN_BAD_ARGUMENTS,    /* an argument the library did not recognise (printed) */
    BVB_RUN_NO_MATCH          /* the filter matched no benchmark */
} bvb_run_status;

/* Parse argv (every --benchmark_* flag; argv is modified and *argc updated), run the
 * registered benchmarks that match --benchmark_filter, write the console table and, when
 * --benchmark_out=FILE is given, the file in --benchmark_out_format (default json), then
 * shut the library down. Call once. `options` and `result` may be NULL. */
bvb_run_status bvb_run(int *argc, char **argv, const bvb_run_options *options,
                       bvb_run_result *result);

/* bvb_run() with default options, as a main() body: returns 0 on success, 1 otherwise. */
int bvb_main(int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif
