# lib.sh: what the plots tests share; sourced, never run. Ownership: none (functions only).
# plots_test_need TOOL...: exit 77 (CTest's "skipped") naming the first tool not on PATH.
plots_test_need() {
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 77; }
    done
}
