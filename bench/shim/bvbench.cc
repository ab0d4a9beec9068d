// bvbench.cc: the C shim over Google Benchmark 1.7.1 (see bvbench.h). The only C++ in
// bufview: it adapts C run functions to benchmark::State with one call per timed run, and
// wraps the reporters so names can end with the benchmark's argument.

#include "bvbench.h"

#include <benchmark/benchmark.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

struct bvb_bench {
    std::string name;
    bvb_run_fn run = nullptr;
    void *user = nullptr;
    bvb_hook_fn setup = nullptr;
    bvb_hook_fn teardown = nullptr;
    // Arguments per instance; State::range(i) asserts on i >= this, and Debian's library
    // is built with assertions on, so bvb_state_range checks it first.
    size_t nargs = 0;
    bool has_args = false;
    benchmark::internal::Benchmark *bm = nullptr;
};

struct bvb_state {
    benchmark::State *st;
    bvb_bench *def;
};

namespace {

// Families live as long as the process: the library keeps raw pointers to the lambdas
// that point at them. A static owner keeps them reachable for LeakSanitizer.
std::vector<std::unique_ptr<bvb_bench>> &families()
{
    static std::vector<std::unique_ptr<bvb_bench>> all;
    return all;
}

struct RunHooks {
    bvb_hook_fn before = nullptr;
    bvb_hook_fn after = nullptr;
    void *user = nullptr;
} g_hooks;

void run_instance(benchmark::State &st, bvb_bench *def)
{
    bvb_state s{&st, def};
    if (def->setup != nullptr)
        def->setup(&s, def->user);
    if (!st.error_occurred() && g_hooks.before != nullptr)
        g_hooks.before(&s, g_hooks.user);
    // One batch of exactly max_iterations: the C loop runs them all in one call, and
    // iterations() ends up exactly max_iterations (no overshoot, no leftover).
    const benchmark::IterationCount n = st.max_iterations;
    while (st.KeepRunningBatch(n))
        def->run(&s, static_cast<int64_t>(n), def->user);
    if (!st.error_occurred() && g_hooks.after != nullptr)
        g_hooks.after(&s, g_hooks.user);
    if (def->teardown != nullptr)
        def->teardown(&s, def->user);
}

bool set_nargs(bvb_bench *b, size_t n)
{
    if (b->has_args && b->nargs != n) {
        std::fprintf(stderr,
                     "bvbench: %s: every argument tuple of a family must have %zu "
                     "arguments, not %zu\n",
                     b->name.c_str(), b->nargs, n);
        std::abort();
    }
    b->nargs = n;
    b->has_args = true;
    return true;
}

double stat_min(const std::vector<double> &v)
{
    return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
}

double stat_max(const std::vector<double> &v)
{
    return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
}

double to_ns(double t, benchmark::TimeUnit unit)
{
    switch (unit) {
    case benchmark::kSecond: return t * 1e9;
    case benchmark::kMillisecond: return t * 1e6;
    case benchmark::kMicrosecond: return t * 1e3;
    default: return t;
    }
}

// One progress line per finished instance (see bvb_run_options.progress_fd). The runs of
// one instance arrive together: its repetitions, then its aggregates.
void write_progress(int fd, const std::vector<benchmark::BenchmarkReporter::Run> &runs)
{
    using Run = benchmark::BenchmarkReporter::Run;
    if (runs.empty())
        return;
    const Run &first = runs.front();
    std::string line;
    char buf[160];
    if (first.error_occurred) {
        std::string msg = first.error_message;
        std::replace(msg.begin(), msg.end(), '\t', ' ');
        std::replace(msg.begin(), msg.end(), '\n', ' ');
        line = "error\t" + first.run_name.str() + "\t" + msg + "\n";
    } else {
        // With one repetition there are no aggregates: the single run is all three.
        double med = to_ns(first.GetAdjustedRealTime(), first.time_unit), lo = med, hi = med;
        for (const Run &r : runs) {
            if (r.run_type != Run::RT_Aggregate)
                continue;
            const double ns = to_ns(r.GetAdjustedRealTime(), r.time_unit);
            if (r.aggregate_name == "median")
                med = ns;
            else if (r.aggregate_name == "min")
                lo = ns;
            else if (r.aggregate_name == "max")
                hi = ns;
        }
        const int64_t reps = first.repetitions;
        std::snprintf(buf, sizeof buf, "\t%.6g\t%.6g\t%.6g\t%lld\n", med, lo, hi,
                      static_cast<long long>(reps));
        line = "result\t" + first.run_name.str() + buf;
    }
    // One write per line: a reader never sees half a line from us.
    ssize_t ignored = ::write(fd, line.data(), line.size());
    (void)ignored;
}

// Forwards to another reporter, optionally reporting plain "family/args" names, counts
// error results, and writes progress lines.
class Forwarder final : public benchmark::BenchmarkReporter {
public:
    Forwarder(benchmark::BenchmarkReporter *inner, bool plain, size_t *errors,
              int progress_fd = -1)
        : inner_(inner), plain_(plain), errors_(errors), progress_fd_(progress_fd)
    {
    }

    bool ReportContext(const Context &context) override
    {
        // RunSpecifiedBenchmarks points this object's streams at the output file; the
        // inner reporter must write there too.
        inner_->SetOutputStream(&GetOutputStream());
        inner_->SetErrorStream(&GetErrorStream());
        return inner_->ReportContext(context);
    }

    void ReportRuns(const std::vector<Run> &runs) override
    {
        std::vector<Run> copy(runs);
        bool error = false;
        for (Run &r : copy) {
            if (plain_) {
                r.run_name.min_time.clear();
                r.run_name.min_warmup_time.clear();
                r.run_name.iterations.clear();
                r.run_name.repetitions.clear();
                r.run_name.time_type.clear();
            }
            error = error || r.error_occurred;
        }
        // The runs of one instance arrive together: an instance with an error counts once,
        // however many repetitions reported it.
        if (errors_ != nullptr && error)
            ++*errors_;
        if (progress_fd_ > 0)
            write_progress(progress_fd_, copy);
        inner_->ReportRuns(copy);
    }

    void Finalize() override { inner_->Finalize(); }

private:
    benchmark::BenchmarkReporter *inner_;
    bool plain_;
    size_t *errors_;
    int progress_fd_;
};

// Value of the last "--flag=value" in argv, as the library's own parser would see it.
bool last_flag(int argc, char **argv, const char *flag, std::string *value)
{
    const size_t len = std::strlen(flag);
    bool found = false;
    for (int i = 1; i < argc; i++) {
        if (std::strncmp(argv[i], flag, len) == 0 && argv[i][len] == '=') {
            *value = argv[i] + len + 1;
            found = true;
        }
    }
    return found;
}

// With plain names, let "$" in a filter also match before the suffixes the reports leave
// out ("/real_time", "/iterations:10", ...), so "slice/view/1024$" selects what the
// reports call slice/view/1024. An escaped "\$" is left alone.
std::string anchor_before_suffixes(const std::string &filter)
{
    std::string out;
    for (size_t i = 0; i < filter.size(); i++) {
        if (filter[i] == '$' && (i == 0 || filter[i - 1] != '\\'))
            out += "(/[a-z_]+(:[0-9.]+)?)*$";
        else
            out += filter[i];
    }
    return out;
}

std::unique_ptr<benchmark::BenchmarkReporter> make_file_reporter(const std::string &format)
{
    if (format == "console")
        return std::unique_ptr<benchmark::BenchmarkReporter>(
            new benchmark::ConsoleReporter(benchmark::ConsoleReporter::OO_None));
    if (format == "csv") {
        // Deprecated upstream (and it aborts when a later benchmark adds a counter the
        // first lacked), but still what the user asked for.
        BENCHMARK_DISABLE_DEPRECATED_WARNING
        return std::unique_ptr<benchmark::BenchmarkReporter>(new benchmark::CSVReporter());
        BENCHMARK_RESTORE_DEPRECATED_WARNING
    }
    return std::unique_ptr<benchmark::BenchmarkReporter>(new benchmark::JSONReporter());
}

}  // namespace

extern "C" {

bvb_bench *bvb_register(const char *name, bvb_run_fn run, void *user)
{
    if (name == nullptr || run == nullptr)
        return nullptr;
    std::unique_ptr<bvb_bench> def(new bvb_bench);
    def->name = name;
    def->run = run;
    def->user = user;
    bvb_bench *raw = def.get();
    raw->bm = benchmark::RegisterBenchmark(
        name, [raw](benchmark::State &st) { run_instance(st, raw); });
    families().push_back(std::move(def));
    return raw;
}

bvb_bench *bvb_arg(bvb_bench *b, int64_t x)
{
    if (b == nullptr)
        return nullptr;
    set_nargs(b, 1);
    b->bm->Arg(x);
    return b;
}

bvb_bench *bvb_args(bvb_bench *b, const int64_t *xs, size_t n)
{
    if (b == nullptr)
        return nullptr;
    set_nargs(b, n);
    b->bm->Args(std::vector<int64_t>(xs, xs + n));
    return b;
}

bvb_bench *bvb_range(bvb_bench *b, int64_t lo, int64_t hi, int multiplier)
{
    if (b == nullptr)
        return nullptr;
    set_nargs(b, 1);
    if (multiplier >= 2)
        b->bm->RangeMultiplier(multiplier);
    b->bm->Range(lo, hi);
    return b;
}

bvb_bench *bvb_dense_range(bvb_bench *b, int64_t lo, int64_t hi, int step)
{
    if (b == nullptr)
        return nullptr;
    set_nargs(b, 1);
    b->bm->DenseRange(lo, hi, step);
    return b;
}

bvb_bench *bvb_unit(bvb_bench *b, bvb_time_unit unit)
{
    if (b == nullptr)
        return nullptr;
    static const benchmark::TimeUnit units[] = {benchmark::kNanosecond,
                                                 benchmark::kMicrosecond,
                                                 benchmark::kMillisecond, benchmark::kSecond};
    if (unit >= BVB_NANOSECOND && unit <= BVB_SECOND)
        b->bm->Unit(units[unit]);
    return b;
}

bvb_bench *bvb_use_real_time(bvb_bench *b)
{
    if (b == nullptr)
        return nullptr;
    b->bm->UseRealTime();
    return b;
}

bvb_bench *bvb_min_time(bvb_bench *b, double seconds)
{
    if (b == nullptr)
        return nullptr;
    b->bm->MinTime(seconds);
    return b;
}

bvb_bench *bvb_min_warmup_time(bvb_bench *b, double seconds)
{
    if (b == nullptr)
        return nullptr;
    b->bm->MinWarmUpTime(seconds);
    return b;
}

bvb_bench *bvb_iterations(bvb_bench *b, int64_t n)
{
    if (b == nullptr)
        return nullptr;
    b->bm->Iterations(static_cast<benchmark::IterationCount>(n));
    return b;
}

bvb_bench *bvb_repetitions(bvb_bench *b, int n)
{
    if (b == nullptr)
        return nullptr;
    b->bm->Repetitions(n);
    return b;
}

bvb_bench *bvb_spread(bvb_bench *b)
{
    if (b == nullptr)
        return nullptr;
    b->bm->ComputeStatistics("min", stat_min);
    b->bm->ComputeStatistics("max", stat_max);
    return b;
}

bvb_bench *bvb_setup(bvb_bench *b, bvb_hook_fn setup, bvb_hook_fn teardown)
{
    if (b == nullptr)
        return nullptr;
    b->setup = setup;
    b->teardown = teardown;
    return b;
}

int64_t bvb_state_range(const bvb_state *st, size_t i)
{
    if (i >= st->def->nargs)
        return 0;
    return st->st->range(i);
}

int64_t bvb_state_iterations(const bvb_state *st)
{
    return static_cast<int64_t>(st->st->iterations());
}

int64_t bvb_state_max_iterations(const bvb_state *st)
{
    return static_cast<int64_t>(st->st->max_iterations);
}

const char *bvb_state_name(const bvb_state *st)
{
    return st->def->name.c_str();
}

void bvb_set_bytes_processed(bvb_state *st, int64_t bytes)
{
    st->st->SetBytesProcessed(bytes);
}

void bvb_set_items_processed(bvb_state *st, int64_t items)
{
    st->st->SetItemsProcessed(items);
}

void bvb_counter(bvb_state *st, const char *name, double value, unsigned flags)
{
    using C = benchmark::Counter;
    int f = C::kDefaults;
    if (flags & BVB_COUNTER_RATE)
        f |= C::kIsRate;
    if (flags & BVB_COUNTER_AVG_THREADS)
        f |= C::kAvgThreads;
    if (flags & BVB_COUNTER_ITERATION_INVARIANT)
        f |= C::kIsIterationInvariant;
    if (flags & BVB_COUNTER_AVG_ITERATIONS)
        f |= C::kAvgIterations;
    if (flags & BVB_COUNTER_INVERT)
        f |= C::kInvert;
    st->st->counters[name] = C(value, static_cast<C::Flags>(f),
                               (flags & BVB_COUNTER_1024) ? C::kIs1024 : C::kIs1000);
}

void bvb_set_label(bvb_state *st, const char *label)
{
    st->st->SetLabel(label);
}

void bvb_pause(bvb_state *st)
{
    st->st->PauseTiming();
}

void bvb_resume(bvb_state *st)
{
    st->st->ResumeTiming();
}

void bvb_skip_with_error(bvb_state *st, const char *message)
{
    st->st->SkipWithError(message);
}

bool bvb_error_occurred(const bvb_state *st)
{
    return st->st->error_occurred();
}

void bvb_set_run_hooks(bvb_hook_fn before, bvb_hook_fn after, void *user)
{
    g_hooks.before = before;
    g_hooks.after = after;
    g_hooks.user = user;
}

void bvb_add_context(const char *key, const char *value)
{
    benchmark::AddCustomContext(key, value);
}

bvb_run_status bvb_run(int *argc, char **argv, const bvb_run_options *options,
                       bvb_run_result *result)
{
    const bool plain = options != nullptr && options->plain_names;
    const int progress_fd = options != nullptr ? options->progress_fd : -1;
    // Initialize() consumes the flags, so read the output file settings first. The
    // library itself validates them.
    std::string out_file, out_format = "json";
    last_flag(*argc, argv, "--benchmark_out", &out_file);
    last_flag(*argc, argv, "--benchmark_out_format", &out_format);

    benchmark::Initialize(argc, argv);
    if (benchmark::ReportUnrecognizedArguments(*argc, argv)) {
        benchmark::Shutdown();
        return BVB_RUN_BAD_ARGUMENTS;
    }

    if (plain)
        benchmark::SetBenchmarkFilter(anchor_before_suffixes(benchmark::GetBenchmarkFilter()));

    size_t errors = 0;
    // Owned by the library (a function-local static).
    benchmark::BenchmarkReporter *display = benchmark::CreateDefaultDisplayReporter();
    Forwarder display_fwd(display, plain, &errors, progress_fd);
    std::unique_ptr<benchmark::BenchmarkReporter> file;
    std::unique_ptr<Forwarder> file_fwd;
    if (!out_file.empty()) {
        file = make_file_reporter(out_format);
        file_fwd.reset(new Forwarder(file.get(), plain, nullptr));
    }
    const size_t matched = benchmark::RunSpecifiedBenchmarks(&display_fwd, file_fwd.get());
    benchmark::Shutdown();

    if (result != nullptr) {
        result->matched = matched;
        result->errors = errors;
    }
    return matched == 0 ? BVB_RUN_NO_MATCH : BVB_RUN_OK;
}

int bvb_main(int argc, char **argv)
{
    return bvb_run(&argc, argv, nullptr, nullptr) == BVB_RUN_OK ? 0 : 1;
}

}  // extern "C"
