/*
 * shim_test.c: checks the C shim over Google Benchmark from the C side: every run
 * function is handed exactly the iterations the library then reports, hooks run once per
 * run in the documented order, arguments arrive, errors skip the run. check_shim.sh then
 * checks the JSON the same run wrote (names, iteration counts, counter arithmetic).
 *
 * Modes: no option: the full check (expects --benchmark_out=FILE among the arguments);
 * --expect=bad-arguments / --expect=no-match: bvb_run's status for a bad flag and for a
 * filter that matches nothing; --expect=anchored: a filter ending in "$" matches a plain
 * name whose library name has suffixes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bvbench.h"

static int failures;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                          \
        }                                                                        \
    } while (0)

/* What one family saw. */
typedef struct seen {
    int setups, teardowns, runs, befores, afters;
    int64_t handed;        /* iterations passed to the run function, summed */
    int64_t completed;     /* bvb_state_iterations() in the after hook, summed */
    int64_t last_arg0, last_arg1, last_arg2;
    int64_t max_seen;      /* bvb_state_max_iterations() inside the run function */
    char order[64];        /* 's' setup, 'b' before, 'r' run, 'a' after, 't' teardown */
} seen;

static void mark(seen *s, char c)
{
    size_t len = strlen(s->order);
    if (len + 1 < sizeof s->order) {
        s->order[len] = c;
        s->order[len + 1] = '\0';
    }
}

static void on_setup(bvb_state *st, void *user)
{
    seen *s = user;
    s->setups++;
    mark(s, 's');
    CHECK(bvb_state_iterations(st) == 0);
}

static void on_teardown(bvb_state *st, void *user)
{
    (void)st;
    seen *s = user;
    s->teardowns++;
    mark(s, 't');
}

/* The hooks see the family's user pointer only through the family name; a small table
 * maps names to records. */
static seen s_fixed, s_args, s_repeated, s_calibrated, s_paused, s_skip_setup, s_skip_run,
    s_range;

static seen *by_name(const char *name)
{
    static const struct {
        const char *name;
        seen *s;
    } table[] = {{"fixed", &s_fixed},           {"args", &s_args},
                 {"repeated", &s_repeated},     {"calibrated", &s_calibrated},
                 {"paused", &s_paused},         {"skip_in_setup", &s_skip_setup},
                 {"skip_in_run", &s_skip_run}, {"range", &s_range}};
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (strcmp(table[i].name, name) == 0)
            return table[i].s;
    return NULL;
}

static int hook_token;

static void before_hook(bvb_state *st, void *user)
{
    CHECK(user == &hook_token);
    seen *s = by_name(bvb_state_name(st));
    CHECK(s != NULL);
    if (s != NULL) {
        s->befores++;
        mark(s, 'b');
    }
}

static void after_hook(bvb_state *st, void *user)
{
    CHECK(user == &hook_token);
    seen *s = by_name(bvb_state_name(st));
    CHECK(s != NULL);
    if (s != NULL) {
        s->afters++;
        s->completed += bvb_state_iterations(st);
        mark(s, 'a');
        /* Counters set by a run hook show up like any other. */
        bvb_counter(st, "hook", 7, BVB_COUNTER_DEFAULT);
    }
}

static void record_run(bvb_state *st, int64_t iters, seen *s)
{
    s->runs++;
    s->handed += iters;
    s->max_seen = bvb_state_max_iterations(st);
    s->last_arg0 = bvb_state_range(st, 0);
    s->last_arg1 = bvb_state_range(st, 1);
    s->last_arg2 = bvb_state_range(st, 2);
    mark(s, 'r');
}

static void run_fixed(bvb_state *st, int64_t iters, void *user)
{
    record_run(st, iters, user);
    uint64_t acc = 0;
    for (int64_t i = 0; i < iters; i++) {
        acc += (uint64_t)i;
        bvb_do_not_optimize(acc);
    }
    bvb_set_bytes_processed(st, iters * 1024);
    bvb_set_items_processed(st, iters * 3);
    bvb_counter(st, "plain", 42, BVB_COUNTER_DEFAULT);
    bvb_counter(st, "rate", 3000, BVB_COUNTER_RATE);
    bvb_counter(st, "avg", 5000, BVB_COUNTER_AVG_ITERATIONS);
    bvb_counter(st, "invariant", 4, BVB_COUNTER_ITERATION_INVARIANT);
    bvb_counter(st, "inverted", 250, BVB_COUNTER_AVG_ITERATIONS | BVB_COUNTER_INVERT);
    bvb_counter(st, "binary", 2048, BVB_COUNTER_1024);
    bvb_set_label(st, "fixed label");
}

static void run_plain(bvb_state *st, int64_t iters, void *user)
{
    record_run(st, iters, user);
    for (int64_t i = 0; i < iters; i++)
        bvb_clobber_memory();
}

static void run_paused(bvb_state *st, int64_t iters, void *user)
{
    record_run(st, iters, user);
    for (int64_t i = 0; i < iters; i++) {
        bvb_pause(st);
        bvb_clobber_memory();
        bvb_resume(st);
    }
}

static void setup_refuses(bvb_state *st, void *user)
{
    on_setup(st, user);
    bvb_skip_with_error(st, "deliberate: setup refused");
    CHECK(bvb_error_occurred(st));
}

static void run_skips(bvb_state *st, int64_t iters, void *user)
{
    record_run(st, iters, user);
    CHECK(!bvb_error_occurred(st));
    bvb_skip_with_error(st, "deliberate: run refused");
}

static void run_never(bvb_state *st, int64_t iters, void *user)
{
    record_run(st, iters, user);
    CHECK(!"a run function was called after its setup skipped the benchmark");
}

static void register_all(void)
{
    bvb_bench *b = bvb_register("fixed", run_fixed, &s_fixed);
    bvb_arg(b, 7);
    bvb_iterations(b, 1000);
    bvb_use_real_time(b);
    bvb_unit(b, BVB_MICROSECOND);
    bvb_setup(b, on_setup, on_teardown);

    static const int64_t two[] = {3, 5};
    bvb_setup(bvb_iterations(bvb_args(bvb_register("args", run_plain, &s_args), two, 2), 11),
              on_setup, on_teardown);

    bvb_setup(bvb_repetitions(bvb_iterations(bvb_register("repeated", run_plain, &s_repeated),
                                             10),
                              3),
              on_setup, on_teardown);

    /* Calibrated by the library: several runs with growing counts. */
    bvb_setup(bvb_min_time(bvb_register("calibrated", run_plain, &s_calibrated), 0.01),
              on_setup, on_teardown);

    bvb_setup(bvb_iterations(bvb_register("paused", run_paused, &s_paused), 5), on_setup,
              on_teardown);

    bvb_setup(bvb_iterations(bvb_register("skip_in_setup", run_never, &s_skip_setup), 3),
              setup_refuses, on_teardown);

    bvb_setup(bvb_iterations(bvb_register("skip_in_run", run_skips, &s_skip_run), 3), on_setup,
              on_teardown);

    bvb_setup(bvb_iterations(bvb_range(bvb_register("range", run_plain, &s_range), 8, 512, 4),
                             2),
              on_setup, on_teardown);

    CHECK(bvb_register(NULL, run_plain, NULL) == NULL);
    CHECK(bvb_register("x", NULL, NULL) == NULL);
    /* A chain on a failed registration does nothing. */
    CHECK(bvb_setup(bvb_use_real_time(bvb_arg(bvb_register(NULL, run_plain, NULL), 1)), NULL,
                    NULL) == NULL);
}

static void check_seen(void)
{
    /* fixed: one run of exactly 1000, hooks once each, in order. */
    CHECK(s_fixed.runs == 1);
    CHECK(s_fixed.handed == 1000);
    CHECK(s_fixed.completed == 1000);
    CHECK(s_fixed.max_seen == 1000);
    CHECK(s_fixed.last_arg0 == 7);
    CHECK(s_fixed.last_arg1 == 0);
    CHECK(strcmp(s_fixed.order, "sbrat") == 0);

    CHECK(s_args.runs == 1 && s_args.handed == 11 && s_args.completed == 11);
    CHECK(s_args.last_arg0 == 3 && s_args.last_arg1 == 5 && s_args.last_arg2 == 0);

    CHECK(s_repeated.runs == 3);
    CHECK(s_repeated.handed == 30 && s_repeated.completed == 30);
    CHECK(strcmp(s_repeated.order, "sbratsbratsbrat") == 0);

    /* Calibration: every run handed exactly what the library counted; no overshoot. */
    CHECK(s_calibrated.runs >= 1);
    CHECK(s_calibrated.handed == s_calibrated.completed);
    CHECK(s_calibrated.setups == s_calibrated.runs);
    CHECK(s_calibrated.teardowns == s_calibrated.runs);
    CHECK(s_calibrated.befores == s_calibrated.runs && s_calibrated.afters == s_calibrated.runs);

    CHECK(s_paused.runs == 1 && s_paused.handed == 5 && s_paused.completed == 5);

    /* Skipped in setup: no run, no run hooks, teardown still called. */
    CHECK(s_skip_setup.runs == 0);
    CHECK(strcmp(s_skip_setup.order, "st") == 0);

    /* Skipped in the run: the run happened once, no after hook. */
    CHECK(s_skip_run.runs == 1);
    CHECK(strcmp(s_skip_run.order, "sbrt") == 0);

    /* Range 8..512 by 4: the ends and the powers of 4 between them: 8, 16, 64, 256, 512. */
    CHECK(s_range.runs == 5);
    CHECK(s_range.handed == 10 && s_range.completed == 10);
    CHECK(s_range.last_arg0 == 512);
}

int main(int argc, char **argv)
{
    const char *expect = NULL;
    if (argc > 1 && strncmp(argv[1], "--expect=", 9) == 0) {
        expect = argv[1] + 9;
        argv[1] = argv[0];
        argv++;
        argc--;
    }

    register_all();
    bvb_set_run_hooks(before_hook, after_hook, &hook_token);
    bvb_add_context("shim_test", "context value");

    bvb_run_options opts = {.plain_names = true};
    bvb_run_result res = {99, 99};
    bvb_run_status status = bvb_run(&argc, argv, &opts, &res);

    if (expect != NULL && strcmp(expect, "bad-arguments") == 0) {
        CHECK(status == BVB_RUN_BAD_ARGUMENTS);
    } else if (expect != NULL && strcmp(expect, "no-match") == 0) {
        CHECK(status == BVB_RUN_NO_MATCH);
        CHECK(res.matched == 0);
        CHECK(s_fixed.runs == 0);
    } else if (expect != NULL && strcmp(expect, "anchored") == 0) {
        /* Run with --benchmark_filter=^fixed/7$: the library's name for it is
         * fixed/7/iterations:1000/real_time, yet the anchor must match. */
        CHECK(status == BVB_RUN_OK);
        CHECK(res.matched == 1);
        CHECK(s_fixed.runs == 1 && s_fixed.handed == 1000);
        CHECK(s_range.runs == 0);
    } else {
        CHECK(status == BVB_RUN_OK);
        /* fixed, args, repeated, calibrated, paused, 2 skips, 5 ranges. */
        CHECK(res.matched == 12);
        CHECK(res.errors == 2);
        check_seen();
    }
    if (failures != 0) {
        fprintf(stderr, "shim_test: %d check(s) failed\n", failures);
        return 1;
    }
    printf("shim_test: all checks passed\n");
    return 0;
}
