#!/bin/sh
# Build examples/consumer one way and check what it prints (tests/consumer/CMakeLists.txt
# lists the ways).
#   consumer_test.sh find_package     SRC PREFIX WORK CMAKE GENERATOR CC
#   consumer_test.sh pkg_config       SRC PREFIX WORK PKG_CONFIG CC [CFLAGS...]
#   consumer_test.sh add_subdirectory SRC PREFIX WORK CMAKE GENERATOR CC
set -eu
mode=$1 src=$2 prefix=$3 work=$4
shift 4
example=$src/examples/consumer

# The file the consumer maps, and what it must print for [7:13].
data=$work/data.txt
printf 'hello, mapped world\n' > "$data"
expected="b'mapped'
6 bytes at offset 7 of 20, not copied"

check_output() {   # program
    got=$("$1" "$data" 7 13)
    if [ "$got" != "$expected" ]; then
        printf 'consumer printed:\n%s\nexpected:\n%s\n' "$got" "$expected" >&2
        exit 1
    fi
    echo "consumer ($mode): output as expected"
}

case $mode in
find_package)
    cmake=$1 generator=$2 cc=$3
    out=$work/find_package
    rm -rf "$out"
    "$cmake" -S "$example" -B "$out" -G "$generator" -DCMAKE_C_COMPILER="$cc" \
        -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
    "$cmake" --build "$out"
    check_output "$out/consumer"
    ;;
pkg_config)
    pkg_config=$1 cc=$2
    shift 2
    if [ -z "$cc" ] || [ -z "$pkg_config" ]; then
        echo "consumer ($mode): compiler or pkg-config not found" >&2
        exit 1
    fi
    pcdir=$(dirname "$(find "$prefix" -name bufview.pc | head -n 1)")
    flags=$(PKG_CONFIG_PATH=$pcdir "$pkg_config" --cflags --libs bufview)
    exe=$work/pkg_config-$(basename "$cc")
    echo "$cc $* $example/main.c $flags -o $exe"
    # shellcheck disable=SC2086  # the flags are words
    "$cc" "$@" "$example/main.c" $flags -o "$exe"
    check_output "$exe"
    ;;
add_subdirectory)
    cmake=$1 generator=$2 cc=$3
    out=$work/add_subdirectory
    rm -rf "$out"
    "$cmake" -S "$example" -B "$out" -G "$generator" -DCMAKE_C_COMPILER="$cc" \
        -DBUFVIEW_SOURCE_DIR="$src" -DBUILD_SHARED_LIBS=ON \
        -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
    # A C-only project: bufview enabled no other language ...
    if grep -q '^CMAKE_CXX_COMPILER:' "$out/CMakeCache.txt"; then
        echo "consumer ($mode): bufview enabled C++ in a C-only project" >&2
        exit 1
    fi
    # ... defines no target of its own but the library ...
    extra=$("$cmake" --build "$out" --target help | grep -E 'test_|bench|lesson|fuzz|bv_diff' || true)
    if [ -n "$extra" ]; then
        printf 'consumer (%s): bufview added targets besides its library:\n%s\n' "$mode" "$extra" >&2
        exit 1
    fi
    "$cmake" --build "$out"
    ls "$out"/bufview/core/libbufview.so.* >/dev/null
    # ... and kept its warning, sanitizer and LTO flags to itself.
    main_cmd=$(jq -r '.[] | select(.file | endswith("examples/consumer/main.c")) | .command' \
                  "$out/compile_commands.json")
    case $main_cmd in
    ""|*-Werror*|*-Wall*|*-fsanitize*|*-flto*)
        echo "consumer ($mode): the project's own compile line is wrong: '$main_cmd'" >&2
        exit 1 ;;
    esac
    echo "consumer ($mode): $main_cmd"
    check_output "$out/consumer"
    ;;
*)
    echo "consumer_test.sh: unknown mode '$mode'" >&2
    exit 2 ;;
esac
