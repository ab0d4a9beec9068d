# bufview_add_memcheck(<test-name> <target> [args...])
# Adds a CTest test that runs the target under valgrind memcheck and fails on any error or
# leak. Only in builds without sanitizers (valgrind and ASan cannot share a process) and
# only where valgrind is installed; test.sh installs it.
find_program(BUFVIEW_VALGRIND valgrind)

function(bufview_add_memcheck name target)
  if(BUFVIEW_SANITIZE OR NOT BUFVIEW_VALGRIND)
    return()
  endif()
  add_test(NAME ${name}
    COMMAND ${BUFVIEW_VALGRIND} --quiet --error-exitcode=99 --leak-check=full
            --show-leak-kinds=all --errors-for-leak-kinds=all --track-origins=yes
            $<TARGET_FILE:${target}> ${ARGN})
  set_tests_properties(${name} PROPERTIES LABELS memcheck)
endfunction()
