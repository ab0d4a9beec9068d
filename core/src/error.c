/*
 * error.c: status names, filling a bv_error, and the core's two shared failures
 * (MemoryError and a broken API contract; internal.h says why there is one of each).
 */
#include "bufview/error.h"

#include <stdarg.h>
#include <string.h>

#include "internal.h"

const char *bv_status_name(bv_status kind)
{
    switch (kind) {
    case BV_OK: return "OK";
    case BV_INDEX_ERROR: return "IndexError";
    case BV_TYPE_ERROR: return "TypeError";
    case BV_VALUE_ERROR: return "ValueError";
    case BV_BUFFER_ERROR: return "BufferError";
    case BV_NOT_IMPLEMENTED_ERROR: return "NotImplementedError";
    case BV_MEMORY_ERROR: return "MemoryError";
    case BV_OVERFLOW_ERROR: return "OverflowError";
    case BV_FILE_NOT_FOUND_ERROR: return "FileNotFoundError";
    case BV_PERMISSION_ERROR: return "PermissionError";
    case BV_OS_ERROR: return "OSError";
    }
    return "UnknownError";
}

bv_status bv_error_set(bv_error *err, bv_status kind, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        va_start(ap, fmt);
        err->kind = kind;
        /* Truncation is acceptable: messages are for people, the kind is for code. */
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return kind;
}

void bv_error_clear(bv_error *err)
{
    if (err != NULL) {
        err->kind = BV_OK;
        err->message[0] = '\0';
    }
}

int bv_error_print(const bv_error *err, FILE *out)
{
    if (err == NULL || out == NULL)
        return -1;
    return fprintf(out, "%s: %s\n", bv_status_name(err->kind), err->message);
}

bv_status bvi_error_nomem(bv_error *err)
{
    /* CPython's MemoryError carries no message. */
    return bv_error_set(err, BV_MEMORY_ERROR, "%s", "");
}

bv_status bvi_error_arg(bv_error *err, const char *function, const char *argument,
                        const char *requirement)
{
    return bv_error_set(err, BV_TYPE_ERROR, "%s() argument '%s' %s", function, argument,
                        requirement);
}
