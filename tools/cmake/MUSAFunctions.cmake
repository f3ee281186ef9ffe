# MUSAFunctions.cmake - .mu/.cu sources compiled by mcc in a CMake project,
# included by MUSAConfig.cmake (MUSA_MCC_EXECUTABLE set).
#
#   musa_add_executable(<name> [WIN32] [MACOSX_BUNDLE] [EXCLUDE_FROM_ALL] <source>...)
#   musa_add_library(<name> [STATIC|SHARED|MODULE|OBJECT] [EXCLUDE_FROM_ALL] <source>...)
#   musa_target_sources(<target> <source>...)   more sources for a musa_ target
#   musa_compile(<out-var> <source>... [OPTIONS <mcc-option>...])
#
# .mu and .cu sources become objects by a custom command running `mcc -c`
# with the target's INCLUDE_DIRECTORIES, COMPILE_DEFINITIONS and
# COMPILE_OPTIONS (generator expressions, so usage requirements of linked
# targets count), the source's own COMPILE_DEFINITIONS, COMPILE_OPTIONS and
# INCLUDE_DIRECTORIES, CMAKE_MUSA_FLAGS and CMAKE_MUSA_FLAGS_<CONFIG>.
# Other sources go to the target as they are (the C/C++ compilers). The
# target links MUSA::musart (PUBLIC for libraries).
#
# Target properties, initialised from the variable of the same name (or
# CMAKE_<name>, the spelling a renamed CUDA project uses) and read when the
# directory has been processed, so set_target_properties() after the call
# counts:
#   MUSA_ARCHITECTURES          --offload-arch: mcc's names (sm_80, mp_31,
#                               native, all) or CUDA's numbers (80, 80-real
#                               -> sm_80); empty or OFF: mcc's default
#   MUSA_SEPARABLE_COMPILATION  -rdc=true; executables and shared libraries
#                               are then linked by mcc, which device-links
#   MUSA_RESOLVE_DEVICE_SYMBOLS link by mcc even without -rdc sources of the
#                               target's own (it links -rdc libraries)
#   MUSA_STANDARD / MUSA_EXTENSIONS   -std=c++NN / gnu++NN (else CXX_STANDARD)
#   POSITION_INDEPENDENT_CODE   -fPIC (always for SHARED and MODULE)
#
# The link by mcc uses <LANG>_LINKER_LAUNCHER: musa-link.sh gets CMake's
# link line, drops the C++ compiler from its head and runs mcc with the
# rest, so the options are CMake's own; mcc then device-links the -rdc
# objects it is given and links with the host compiler (MCC_CXX).
#
# May call: CMake's commands; at build time mcc and musa-link.sh.

# Defaults as CMake gives CMAKE_CUDA_FLAGS_<CONFIG>.
set(CMAKE_MUSA_FLAGS "$ENV{MUSAFLAGS}" CACHE STRING "Flags mcc gets for every .mu/.cu source")
set(CMAKE_MUSA_FLAGS_DEBUG "-g" CACHE STRING "mcc flags of Debug builds")
set(CMAKE_MUSA_FLAGS_RELEASE "-O3 -DNDEBUG" CACHE STRING "mcc flags of Release builds")
set(CMAKE_MUSA_FLAGS_RELWITHDEBINFO "-O2 -g -DNDEBUG" CACHE STRING "mcc flags of RelWithDebInfo builds")
set(CMAKE_MUSA_FLAGS_MINSIZEREL "-Os -DNDEBUG" CACHE STRING "mcc flags of MinSizeRel builds")

# Global, so that functions called from a directory that did not run
# find_package(MUSA) still know where the package lies.
set_property(GLOBAL PROPERTY _MUSA_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")
set_property(GLOBAL PROPERTY _MUSA_MCC "${MUSA_MCC_EXECUTABLE}")

function(_musa_mcc out)
  if(MUSA_MCC_EXECUTABLE)
    set(${out} "${MUSA_MCC_EXECUTABLE}" PARENT_SCOPE)
  else()
    get_property(m GLOBAL PROPERTY _MUSA_MCC)
    set(${out} "${m}" PARENT_SCOPE)
  endif()
endfunction()

# Whether mcc writes make dependency files (-MD -MF): asked once, from its help.
function(_musa_mcc_has_depfile out)
  _musa_mcc(mcc)
  get_property(known GLOBAL PROPERTY "_MUSA_DEPFILE_${mcc}" SET)
  if(NOT known)
    execute_process(COMMAND "${mcc}" --help OUTPUT_VARIABLE o ERROR_VARIABLE e
                    RESULT_VARIABLE rc)
    if("${o}${e}" MATCHES "-MF")
      set(has TRUE)
    else()
      set(has FALSE)
    endif()
    set_property(GLOBAL PROPERTY "_MUSA_DEPFILE_${mcc}" ${has})
  endif()
  get_property(has GLOBAL PROPERTY "_MUSA_DEPFILE_${mcc}")
  set(${out} ${has} PARENT_SCOPE)
endfunction()

function(_musa_is_musa_source out src)
  get_filename_component(ext "${src}" LAST_EXT)
  if(ext STREQUAL ".mu" OR ext STREQUAL ".cu")
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()

# A flags string (CMAKE_MUSA_FLAGS*) as one argument holding a list:
# $<SEMICOLON> keeps it whole inside a generator expression.
function(_musa_flags_arg out flags)
  separate_arguments(l UNIX_COMMAND "${flags}")
  list(JOIN l "$<SEMICOLON>" j)
  set(${out} "${j}" PARENT_SCOPE)
endfunction()

# CMAKE_MUSA_FLAGS and, per configuration, CMAKE_MUSA_FLAGS_<CONFIG>.
function(_musa_config_flags out)
  _musa_flags_arg(r "${CMAKE_MUSA_FLAGS}")
  set(res "")
  if(NOT r STREQUAL "")
    list(APPEND res "${r}")
  endif()
  set(cfgs Debug Release RelWithDebInfo MinSizeRel ${CMAKE_CONFIGURATION_TYPES} ${CMAKE_BUILD_TYPE})
  set(seen "")
  foreach(c IN LISTS cfgs)
    string(TOUPPER "${c}" uc)
    if(uc IN_LIST seen OR NOT DEFINED CMAKE_MUSA_FLAGS_${uc})
      continue()
    endif()
    list(APPEND seen "${uc}")
    _musa_flags_arg(f "${CMAKE_MUSA_FLAGS_${uc}}")
    if(NOT f STREQUAL "")
      list(APPEND res "$<$<CONFIG:${c}>:${f}>")
    endif()
  endforeach()
  set(${out} "${res}" PARENT_SCOPE)
endfunction()

# MUSA_ARCHITECTURES values as one --offload-arch option (none if empty).
function(_musa_arch_flags out archs)
  set(names "")
  foreach(a IN LISTS archs)
    string(TOUPPER "${a}" ua)
    if(ua MATCHES "^(OFF|FALSE|NO|N|0|IGNORE|NOTFOUND|.*-NOTFOUND)$")
      # no architecture asked for
    elseif(a MATCHES "^([0-9]+)(-real|-virtual)?$")
      list(APPEND names "sm_${CMAKE_MATCH_1}")
    elseif(NOT a STREQUAL "")
      list(APPEND names "${a}")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES names)
  if(NOT names STREQUAL "")
    list(JOIN names "," j)
    set(${out} "--offload-arch=${j}" PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

# Property <prop> of target <tgt> from variable <prop> or CMAKE_<prop>
# unless set already.
function(_musa_init_property tgt prop)
  get_property(set TARGET ${tgt} PROPERTY ${prop} SET)
  if(set)
    return()
  endif()
  if(DEFINED ${prop})
    set_property(TARGET ${tgt} PROPERTY ${prop} "${${prop}}")
  elseif(DEFINED CMAKE_${prop})
    set_property(TARGET ${tgt} PROPERTY ${prop} "${CMAKE_${prop}}")
  endif()
endfunction()

# Where the object of <src> goes for <owner> (a target or musa_compile).
function(_musa_object_path out owner src)
  file(RELATIVE_PATH rs "${CMAKE_CURRENT_SOURCE_DIR}" "${src}")
  file(RELATIVE_PATH rb "${CMAKE_CURRENT_BINARY_DIR}" "${src}")
  if(NOT rb MATCHES "^\\.\\./" AND NOT IS_ABSOLUTE "${rb}")
    set(rel "_bin_/${rb}")   # generated in the build tree
  elseif(NOT rs MATCHES "^\\.\\./" AND NOT IS_ABSOLUTE "${rs}")
    set(rel "${rs}")
  else()
    set(rel "_abs_/${src}")
  endif()
  string(REPLACE "../" "__/" rel "${rel}")
  string(REPLACE "//" "/" rel "${rel}")
  string(REPLACE ":" "_" rel "${rel}")
  get_property(multi GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/${owner}.dir/musa")
  if(multi)
    set(dir "${dir}/$<CONFIG>")
  endif()
  set(${out} "${dir}/${rel}.o" PARENT_SCOPE)
endfunction()

# One `mcc -c` custom command; <flags> come first, then the source's own
# properties. Sets <out> to the object.
function(_musa_add_compile out owner src flags)
  _musa_mcc(mcc)
  _musa_object_path(obj "${owner}" "${src}")
  get_filename_component(objdir "${obj}" DIRECTORY)
  file(RELATIVE_PATH shown "${CMAKE_BINARY_DIR}" "${obj}")

  set(srcflags "")
  get_source_file_property(v "${src}" INCLUDE_DIRECTORIES)
  if(v)
    foreach(d IN LISTS v)
      list(APPEND srcflags "-I${d}")
    endforeach()
  endif()
  get_source_file_property(v "${src}" COMPILE_DEFINITIONS)
  if(v)
    foreach(d IN LISTS v)
      list(APPEND srcflags "-D${d}")
    endforeach()
  endif()
  get_source_file_property(v "${src}" COMPILE_OPTIONS)
  if(v)
    list(APPEND srcflags ${v})
  endif()
  get_source_file_property(deps "${src}" OBJECT_DEPENDS)
  if(NOT deps)
    set(deps "")
  endif()

  set(depargs "")
  _musa_mcc_has_depfile(has_dep)
  if(has_dep)
    list(APPEND srcflags -MD -MF "${obj}.d")
    set(depargs DEPFILE "${obj}.d")
  elseif(CMAKE_GENERATOR MATCHES "Make")
    set(depargs IMPLICIT_DEPENDS CXX "${src}")
  endif()

  add_custom_command(
    OUTPUT "${obj}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${objdir}"
    COMMAND "${mcc}" -c "${src}" -o "${obj}" ${flags} ${srcflags}
    DEPENDS "${src}" "${mcc}" ${deps}
    ${depargs}
    WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}"
    COMMENT "Building MUSA object ${shown}"
    COMMAND_EXPAND_LISTS VERBATIM)
  set_source_files_properties("${obj}" PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  set(${out} "${obj}" PARENT_SCOPE)
endfunction()

# Sources as absolute paths, split into mcc's and the rest.
# The arguments of ARGN that match the keyword regex (WIN32, STATIC,
# PRIVATE ...) into keywords_out, the rest (sources) into rest_out.
function(_musa_split_keywords regex keywords_out rest_out)
  set(keywords "")
  set(rest "")
  foreach(a IN LISTS ARGN)
    if(a MATCHES "${regex}")
      list(APPEND keywords ${a})
    else()
      list(APPEND rest "${a}")
    endif()
  endforeach()
  set(${keywords_out} "${keywords}" PARENT_SCOPE)
  set(${rest_out} "${rest}" PARENT_SCOPE)
endfunction()

function(_musa_split_sources musa_out other_out)
  set(mu "")
  set(other "")
  foreach(s IN LISTS ARGN)
    _musa_is_musa_source(is "${s}")
    if(is)
      get_filename_component(a "${s}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
      list(APPEND mu "${a}")
    else()
      list(APPEND other "${s}")
    endif()
  endforeach()
  set(${musa_out} "${mu}" PARENT_SCOPE)
  set(${other_out} "${other}" PARENT_SCOPE)
endfunction()

# Common set-up of a musa_ target: its .mu sources recorded, the runtime
# linked, the properties initialised, the compile commands made once the
# directory has been processed.
function(_musa_setup tgt)
  get_target_property(type ${tgt} TYPE)
  set_property(TARGET ${tgt} APPEND PROPERTY MUSA_SOURCES ${ARGN})
  if(ARGN)
    # listed for IDEs; a CUDA language enabled elsewhere must not compile them
    set_source_files_properties(${ARGN} PROPERTIES HEADER_FILE_ONLY TRUE)
    target_sources(${tgt} PRIVATE ${ARGN})
  endif()
  get_property(done TARGET ${tgt} PROPERTY _MUSA_SETUP)
  if(done)
    return()
  endif()
  set_property(TARGET ${tgt} PROPERTY _MUSA_SETUP TRUE)
  # Property, not target_link_libraries(): the project may use either
  # signature of that command on this target afterwards.
  set_property(TARGET ${tgt} APPEND PROPERTY LINK_LIBRARIES MUSA::musart)
  if(NOT type STREQUAL "EXECUTABLE")
    set_property(TARGET ${tgt} APPEND PROPERTY INTERFACE_LINK_LIBRARIES MUSA::musart)
  endif()
  foreach(p MUSA_ARCHITECTURES MUSA_SEPARABLE_COMPILATION MUSA_RESOLVE_DEVICE_SYMBOLS
            MUSA_STANDARD MUSA_EXTENSIONS)
    _musa_init_property(${tgt} ${p})
  endforeach()
  get_property(ll TARGET ${tgt} PROPERTY LINKER_LANGUAGE SET)
  if(NOT ll)
    # objects from mcc are C++ (and a target of .mu files alone has no
    # language CMake could pick)
    set_property(TARGET ${tgt} PROPERTY LINKER_LANGUAGE CXX)
  endif()
  cmake_language(EVAL CODE "cmake_language(DEFER CALL _musa_finalize [[${tgt}]])")
endfunction()

# The per-target mcc options, from the target's properties as they are at
# the end of its directory.
function(_musa_target_flags out tgt)
  get_target_property(type ${tgt} TYPE)
  set(f "")
  get_property(archs TARGET ${tgt} PROPERTY MUSA_ARCHITECTURES)
  _musa_arch_flags(a "${archs}")
  list(APPEND f ${a})
  get_target_property(rdc ${tgt} MUSA_SEPARABLE_COMPILATION)
  if(rdc)
    list(APPEND f -rdc=true)
  endif()
  get_target_property(std ${tgt} MUSA_STANDARD)
  get_target_property(ext ${tgt} MUSA_EXTENSIONS)
  if(NOT std)
    get_target_property(std ${tgt} CXX_STANDARD)
    get_target_property(ext ${tgt} CXX_EXTENSIONS)
  endif()
  if(std)
    if(ext OR ext STREQUAL "ext-NOTFOUND")
      list(APPEND f "-std=gnu++${std}")   # CMake's default: extensions on
    else()
      list(APPEND f "-std=c++${std}")
    endif()
  endif()
  get_target_property(pic ${tgt} POSITION_INDEPENDENT_CODE)
  if(pic OR type STREQUAL "SHARED_LIBRARY" OR type STREQUAL "MODULE_LIBRARY")
    list(APPEND f -fPIC)
  endif()
  set(${out} "${f}" PARENT_SCOPE)
endfunction()

function(_musa_finalize tgt)
  get_target_property(type ${tgt} TYPE)
  get_property(srcs TARGET ${tgt} PROPERTY MUSA_SOURCES)
  get_property(made TARGET ${tgt} PROPERTY _MUSA_COMPILED)
  _musa_target_flags(tflags ${tgt})
  _musa_config_flags(cflags)
  set(inc "$<TARGET_PROPERTY:${tgt},INCLUDE_DIRECTORIES>")
  set(def "$<TARGET_PROPERTY:${tgt},COMPILE_DEFINITIONS>")
  set(flags ${cflags} ${tflags}
      "$<$<BOOL:${inc}>:-I$<JOIN:${inc},$<SEMICOLON>-I>>"
      "$<$<BOOL:${def}>:-D$<JOIN:${def},$<SEMICOLON>-D>>"
      "$<TARGET_PROPERTY:${tgt},COMPILE_OPTIONS>")
  set(objs "")
  foreach(s IN LISTS srcs)
    if(s IN_LIST made)
      continue()
    endif()
    _musa_add_compile(o ${tgt} "${s}" "${flags}")
    list(APPEND objs "${o}")
    set_property(TARGET ${tgt} APPEND PROPERTY _MUSA_COMPILED "${s}")
  endforeach()
  if(objs)
    target_sources(${tgt} PRIVATE ${objs})
    set_property(TARGET ${tgt} APPEND PROPERTY MUSA_OBJECTS ${objs})
    if(type STREQUAL "OBJECT_LIBRARY")
      # $<TARGET_OBJECTS> leaves out external objects: targets that link
      # this one get them on their link line instead.
      set_property(TARGET ${tgt} APPEND PROPERTY INTERFACE_LINK_LIBRARIES "$<LINK_ONLY:${objs}>")
    endif()
  endif()

  get_target_property(rdc ${tgt} MUSA_SEPARABLE_COMPILATION)
  get_target_property(resolve ${tgt} MUSA_RESOLVE_DEVICE_SYMBOLS)
  if((rdc OR resolve) AND type MATCHES "^(EXECUTABLE|SHARED_LIBRARY|MODULE_LIBRARY)$")
    _musa_mcc(mcc)
    get_property(dir GLOBAL PROPERTY _MUSA_CMAKE_DIR)
    set(launcher /bin/sh "${dir}/musa-link.sh" "${mcc}")
    set_target_properties(${tgt} PROPERTIES CXX_LINKER_LAUNCHER "${launcher}"
                                            C_LINKER_LAUNCHER "${launcher}")
  endif()
endfunction()

function(musa_add_executable name)
  _musa_split_keywords("^(WIN32|MACOSX_BUNDLE|EXCLUDE_FROM_ALL)$" opts srcs ${ARGN})
  _musa_split_sources(mu other ${srcs})
  add_executable(${name} ${opts} ${other})
  _musa_setup(${name} ${mu})
endfunction()

function(musa_add_library name)
  _musa_split_keywords("^(STATIC|SHARED|MODULE|OBJECT|EXCLUDE_FROM_ALL)$" opts srcs ${ARGN})
  _musa_split_sources(mu other ${srcs})
  add_library(${name} ${opts} ${other})
  _musa_setup(${name} ${mu})
endfunction()

# More sources for a target made by musa_add_executable/musa_add_library
# (or any target of this directory: it becomes a musa_ target).
function(musa_target_sources tgt)
  get_target_property(dir ${tgt} SOURCE_DIR)
  if(NOT dir STREQUAL CMAKE_CURRENT_SOURCE_DIR)
    message(FATAL_ERROR "musa_target_sources(${tgt}): call it in the directory that made ${tgt} (${dir})")
  endif()
  # the scope keywords are dropped: the sources are the target's own
  _musa_split_keywords("^(PRIVATE|PUBLIC|INTERFACE)$" scope srcs ${ARGN})
  _musa_split_sources(mu other ${srcs})
  if(other)
    target_sources(${tgt} PRIVATE ${other})
  endif()
  _musa_setup(${tgt} ${mu})
endfunction()

# Objects of <sources> for use in any target, built with the directory's
# include directories, definitions and options, CMAKE_MUSA_FLAGS*,
# MUSA_ARCHITECTURES, MUSA_SEPARABLE_COMPILATION, MUSA_STANDARD and
# CMAKE_POSITION_INDEPENDENT_CODE as they are at the call (or their CMAKE_
# spellings), and OPTIONS. Their consumer must link MUSA::musart.
function(musa_compile out)
  cmake_parse_arguments(PARSE_ARGV 1 MC "" "" "OPTIONS")
  _musa_split_sources(mu other ${MC_UNPARSED_ARGUMENTS})
  if(other)
    message(FATAL_ERROR "musa_compile: not a .mu/.cu source: ${other}")
  endif()
  _musa_config_flags(flags)
  if(DEFINED MUSA_ARCHITECTURES)
    _musa_arch_flags(a "${MUSA_ARCHITECTURES}")
  else()
    _musa_arch_flags(a "${CMAKE_MUSA_ARCHITECTURES}")
  endif()
  list(APPEND flags ${a})
  if(MUSA_SEPARABLE_COMPILATION OR (NOT DEFINED MUSA_SEPARABLE_COMPILATION
                                    AND CMAKE_MUSA_SEPARABLE_COMPILATION))
    list(APPEND flags -rdc=true)
  endif()
  if(DEFINED MUSA_STANDARD)
    set(std "${MUSA_STANDARD}")
  else()
    set(std "${CMAKE_MUSA_STANDARD}")
  endif()
  if(NOT std STREQUAL "")
    list(APPEND flags "-std=gnu++${std}")
  endif()
  if(CMAKE_POSITION_INDEPENDENT_CODE)
    list(APPEND flags -fPIC)
  endif()
  get_directory_property(inc INCLUDE_DIRECTORIES)
  get_directory_property(def COMPILE_DEFINITIONS)
  get_directory_property(opt COMPILE_OPTIONS)
  foreach(d IN LISTS inc)
    list(APPEND flags "-I${d}")
  endforeach()
  foreach(d IN LISTS def)
    list(APPEND flags "-D${d}")
  endforeach()
  list(APPEND flags ${opt} ${MC_OPTIONS})
  set(objs "")
  foreach(s IN LISTS mu)
    _musa_add_compile(o musa_compile "${s}" "${flags}")
    list(APPEND objs "${o}")
  endforeach()
  set(${out} "${objs}" PARENT_SCOPE)
endfunction()
