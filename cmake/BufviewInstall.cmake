# What `cmake --install` puts under the prefix, for projects that use bufview without
# building it themselves:
#   include/bufview/*.h                        the public headers
#   lib/libbufview.a (or .so)                  bufview::core
#   lib/cmake/bufview/bufviewConfig*.cmake     find_package(bufview) -> bufview::core
#   lib/pkgconfig/bufview.pc                   pkg-config --cflags --libs bufview
# Nothing else is installed: tests, lessons and benchmarks are bufview's own.
include(CMakePackageConfigHelpers)

set(bufview_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/bufview)

install(TARGETS bufview_core EXPORT bufviewTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/include/bufview
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT bufviewTargets NAMESPACE bufview:: DESTINATION ${bufview_cmake_dir})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/bufviewConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/bufviewConfig.cmake
                              INSTALL_DESTINATION ${bufview_cmake_dir})
# 0.x: a minor version may change the API, so only the same minor version matches.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/bufviewConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/bufviewConfig.cmake
              ${PROJECT_BINARY_DIR}/bufviewConfigVersion.cmake
        DESTINATION ${bufview_cmake_dir})

# bufview.pc finds the prefix from its own place (${pcfiledir}), so the installed tree
# can be moved, or installed with `cmake --install --prefix DIR` anywhere.
file(RELATIVE_PATH BUFVIEW_PC_TO_PREFIX "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
string(REGEX REPLACE "/$" "" BUFVIEW_PC_TO_PREFIX "${BUFVIEW_PC_TO_PREFIX}")
if(BUILD_SHARED_LIBS)
  set(BUFVIEW_PC_LIBS "-lbufview\nLibs.private: -lm")
else()
  set(BUFVIEW_PC_LIBS "-lbufview -lm")   # a static library brings its dependencies along
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/bufview.pc.in ${PROJECT_BINARY_DIR}/bufview.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/bufview.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
