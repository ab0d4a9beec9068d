/*
 * bufview/bufview.h: the whole public API in one include.
 *
 * Start with view.h (memoryview) and the exporter you need (bytes.h, bytearray.h,
 * array.h, mapped.h); buffer.h is the protocol underneath; slice.h is Python's slice
 * arithmetic; format.h the struct characters and item values; hash.h hash(bytes);
 * error.h says how failures are reported; repr.h prints values as Python does;
 * memory.h is the allocator hook.
 * Each header states its own ownership rules at the top.
 */
#ifndef BUFVIEW_BUFVIEW_H
#define BUFVIEW_BUFVIEW_H

#include "bufview/array.h"
#include "bufview/buffer.h"
#include "bufview/bytearray.h"
#include "bufview/bytes.h"
#include "bufview/error.h"
#include "bufview/format.h"
#include "bufview/hash.h"
#include "bufview/mapped.h"
#include "bufview/memory.h"
#include "bufview/repr.h"
#include "bufview/slice.h"
#include "bufview/view.h"

#endif
