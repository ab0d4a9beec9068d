/*
 * output.c: the results file through a temporary name (see output.h).
 */
#define _GNU_SOURCE

#include "output.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char g_final[PATH_MAX];
static char g_tmp[PATH_MAX];
static volatile sig_atomic_t g_tmp_active;

static void on_signal(int sig)
{
    /* An interrupted run leaves the previous results, not half a file. */
    if (g_tmp_active)
        unlink(g_tmp);
    signal(sig, SIG_DFL);
    raise(sig);
}

static bool make_dirs(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return false;
    for (char *p = buf + 1; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return false;
            *p = '/';
        }
    }
    return mkdir(buf, 0777) == 0 || errno == EEXIST;
}

const char *bench_output_begin(const char *out_dir, const char *program)
{
    static char flag[PATH_MAX + 32];
    char results[PATH_MAX - 64];
    int r = snprintf(results, sizeof results, "%s/results", out_dir);
    if (r < 0 || (size_t)r >= sizeof results || !make_dirs(results)) {
        fprintf(stderr, "%s: cannot create %s: %s\n", program, results, strerror(errno));
        return NULL;
    }
    int a = snprintf(g_final, sizeof g_final, "%s/%s.json", results, program);
    int b = snprintf(g_tmp, sizeof g_tmp, "%s/.%s.json.tmp.%ld", results, program,
                     (long)getpid());
    if (a < 0 || b < 0 || (size_t)a >= sizeof g_final || (size_t)b >= sizeof g_tmp) {
        fprintf(stderr, "%s: the output directory's path is too long\n", program);
        return NULL;
    }
    snprintf(flag, sizeof flag, "--benchmark_out=%s", g_tmp);
    g_tmp_active = 1;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    return flag;
}

bool bench_output_finish(bool ok)
{
    if (!g_tmp_active)
        return true;
    bool renamed = true;
    struct stat sb;
    if (ok && stat(g_tmp, &sb) == 0 && sb.st_size > 0) {
        if (rename(g_tmp, g_final) != 0) {
            fprintf(stderr, "cannot rename %s to %s: %s\n", g_tmp, g_final, strerror(errno));
            renamed = false;
        }
    } else {
        unlink(g_tmp);
    }
    g_tmp_active = 0;
    return renamed;
}

const char *bench_output_path(void)
{
    return g_final;
}
