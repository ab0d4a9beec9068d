# Sourced by run.sh, bench/run_all.sh and tests: choose the Python interpreter.
#
# On a fresh Debian 12 `python3` is /usr/bin/python3, which imports Debian's python3-numpy
# and python3-scipy. Elsewhere `python3` on PATH can be another build (pyenv, a venv) that
# cannot; /usr/bin/python3 is then the one to use for anything that needs those modules.

# bufview_pick_python [MODULE...]: print the first interpreter, of `python3` on PATH and
# /usr/bin/python3, that imports every MODULE; with none asked, the first that runs.
# Status 1 (nothing printed) when none does.
bufview_pick_python() {
    local py imports="import sys" m
    for m in "$@"; do imports="$imports; import $m"; done
    for py in "$(command -v python3 2>/dev/null)" /usr/bin/python3; do
        [ -n "$py" ] && [ -x "$py" ] || continue
        if "$py" -c "$imports" >/dev/null 2>&1; then
            echo "$py"
            return 0
        fi
    done
    return 1
}

# bufview_python_name PY: "CPython 3.11.2 (/usr/bin/python3)"
bufview_python_name() {
    "$1" -c 'import platform, sys; print(f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})")' 2>/dev/null
}
