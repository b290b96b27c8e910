# ctest verifier_consumer: install the build into a temporary prefix, then build and run an
# outside project against it, once with find_package(gatehouse) and once with pkg-config.
# Arguments: -DBUILD_DIR=<gatehouse build> -DSOURCE_DIR=<this folder> -DWORK_DIR=<scratch>
# [-DCONSUMER_FLAGS=<compile and link flags, e.g. the sanitizers of the build under test>]
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(f include/gatehouse/verifier.h lib/libgatehouse_verifier.a
          lib/cmake/gatehouse/gatehouseConfig.cmake lib/pkgconfig/gatehouse.pc)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
file(GLOB_RECURSE internal RELATIVE ${prefix} ${prefix}/include/*)
foreach(f ${internal})
  if(NOT f MATCHES "^include/gatehouse/[a-z_]+\\.h$")
    message(FATAL_ERROR "unexpected installed header: ${f}")
  endif()
endforeach()

run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/build -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS=${CONSUMER_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${CONSUMER_FLAGS}")
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/consumer)
message(STATUS "find_package consumer: ${last_output}")

run(${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${prefix}/lib/pkgconfig
    pkg-config --cflags --libs gatehouse)
string(STRIP "${last_output}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
separate_arguments(consumer_flags UNIX_COMMAND "${CONSUMER_FLAGS}")
run(c++ -std=c++20 -Wall -Wextra -Werror ${consumer_flags} ${SOURCE_DIR}/main.cc ${flags}
    -o ${WORK_DIR}/consumer_pc)
run(${WORK_DIR}/consumer_pc)
message(STATUS "pkg-config consumer: ${last_output}")
