# Eigen, nlohmann-json and Catch2 are header-only Debian packages. Their CMake targets put /usr/include
# on the include path, which under Emscripten drags in the host's glibc headers instead of the wasm
# sysroot's. So for Emscripten each gets a private include folder holding only a link to its own
# headers; natively the packages' own targets are used.
function(profundo_header_only target package_target header_dir)
  add_library(${target} INTERFACE)
  if(EMSCRIPTEN)
    set(staging "${CMAKE_BINARY_DIR}/third_party/${target}")
    get_filename_component(name "${header_dir}" NAME)
    file(MAKE_DIRECTORY "${staging}")
    file(CREATE_LINK "${header_dir}" "${staging}/${name}" SYMBOLIC)
    target_include_directories(${target} SYSTEM INTERFACE "${staging}")
  else()
    target_link_libraries(${target} INTERFACE ${package_target})
  endif()
endfunction()

profundo_header_only(profundo_eigen Eigen3::Eigen /usr/include/eigen3/Eigen)
if(EMSCRIPTEN)  # Eigen's headers include <unsupported/...> and <Eigen/...> relative to eigen3/
  target_include_directories(profundo_eigen SYSTEM INTERFACE /usr/include/eigen3)
endif()
profundo_header_only(profundo_json nlohmann_json::nlohmann_json /usr/include/nlohmann)
