# MUSATargets.cmake - the imported targets of an installed MUSA stack,
# included by MUSAConfig.cmake with _musa_prefix set to the install prefix.
#
#   MUSA::musart  libmusart.so (runtime API, musa_runtime.h)
#   MUSA::musa    libmusa.so   (driver API, musa.h)
#
# Imported targets belong to the directory that calls find_package(MUSA);
# a second call in the same directory (or below) reuses them.

foreach(_musa_lib musart musa)
  if(NOT TARGET MUSA::${_musa_lib})
    add_library(MUSA::${_musa_lib} SHARED IMPORTED)
    set_target_properties(MUSA::${_musa_lib} PROPERTIES
      IMPORTED_LOCATION "${_musa_prefix}/lib/lib${_musa_lib}.so"
      # the name the dynamic loader looks for (Makefile's SOVERSION)
      IMPORTED_SONAME "lib${_musa_lib}.so.1"
      INTERFACE_INCLUDE_DIRECTORIES "${_musa_prefix}/include")
  endif()
endforeach()
unset(_musa_lib)
