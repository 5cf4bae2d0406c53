# CMake package for herald. Relocatable: paths are found from this file.
#
#   find_package(herald 0.1 REQUIRED)
#   target_link_libraries(app PRIVATE herald::herald)          # shared
#   target_link_libraries(app PRIVATE herald::herald_static)   # static
get_filename_component(_herald_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)

if(NOT TARGET herald::herald)
    add_library(herald::herald SHARED IMPORTED)
    set_target_properties(herald::herald PROPERTIES
        IMPORTED_LOCATION "${_herald_prefix}/lib/libherald.so.@ABI@"
        IMPORTED_SONAME "libherald.so.@ABI@"
        INTERFACE_INCLUDE_DIRECTORIES "${_herald_prefix}/include")
endif()

if(NOT TARGET herald::herald_static)
    add_library(herald::herald_static STATIC IMPORTED)
    set_target_properties(herald::herald_static PROPERTIES
        IMPORTED_LOCATION "${_herald_prefix}/lib/libherald.a"
        INTERFACE_INCLUDE_DIRECTORIES "${_herald_prefix}/include"
        INTERFACE_LINK_LIBRARIES "pthread;dl;m")
endif()

set(herald_INCLUDE_DIRS "${_herald_prefix}/include")
set(herald_LIBRARIES herald::herald)
unset(_herald_prefix)
