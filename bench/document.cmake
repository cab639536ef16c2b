# bench_edit: time from a finished edit (AnnotationDocument) to committed, on a
# 100,000-image project with 2,000 shapes on the image. Run: bench/bench_edit
add_executable(bench_edit bench_edit.cpp)
target_link_libraries(bench_edit PRIVATE salient_core_document salient_core_project Qt6::Core)
