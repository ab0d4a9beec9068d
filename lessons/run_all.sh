#!/bin/sh
# lessons/run_all.sh: run every lesson in order, each under a header, for a reader.
#
# usage: lessons/run_all.sh BUILDDIR [--check]
#   BUILDDIR  a configured and built tree (e.g. build/release); lessons are in BUILDDIR/lessons
#   --check   also compare each lesson's result lines with its Python twin (compare.sh);
#             a twin that needs a particular interpreter (lesson 14's, which imports the
#             extension module CMake built; lesson 18's, which imports NumPy) runs under the
#             one BUILDDIR/lessons/NN_topic.python names, with BUFVIEW_EXT_DIR=BUILDDIR/lessons/ext
# Exit status: 0 when every lesson ran (and, with --check, matched), 1 otherwise.
set -u
if [ $# -lt 1 ]; then
    echo "usage: $0 BUILDDIR [--check]" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
bin=$1/lessons
check=0
[ "${2:-}" = --check ] && check=1

failures=""
skipped=""
count=0
for src in "$here"/[0-9][0-9]_*.c; do
    name=$(basename "$src" .c)
    number=${name%%_*}
    # The title is the first line of the lesson's opening comment: " * Lesson NN: title"
    title=$(sed -n 's/^ \* Lesson [0-9][0-9]: //p' "$src" | head -n 1 | sed 's/\.$//')
    count=$((count + 1))
    echo "================================================================================"
    echo "Lesson $number: ${title:-$name}"
    echo "($bin/$name; Python twin: lessons/$name.py)"
    echo "================================================================================"
    if [ ! -x "$bin/$name" ]; then
        echo "missing: $bin/$name (build it first: cmake --build $1)"
        failures="$failures $name"
        continue
    fi
    if [ $check -eq 1 ]; then
        python=""
        [ -f "$bin/$name.python" ] && python=$(cat "$bin/$name.python")
        BUFVIEW_EXT_DIR="$bin/ext" sh "$here/compare.sh" "$bin/$name" "$here/$name.py" \
            "$here/expected/$name.txt" "$python"
        case $? in
            0) ;;
            77) skipped="$skipped $name" ;;
            *) failures="$failures $name" ;;
        esac
    else
        "$bin/$name" || failures="$failures $name"
    fi
    echo
done

if [ -n "$failures" ]; then
    echo "lessons failed:$failures"
    exit 1
fi
if [ -n "$skipped" ]; then
    echo "all $count lessons ran; their Python twins matched, except that these twins could" \
        "not run here and the lessons were checked against their golden files:$skipped"
else
    echo "all $count lessons ran$([ $check -eq 1 ] && echo ' and matched CPython')"
fi
