# bench_open: a 100,000-image project to the first painted grid, and peak RSS
# while scrolling it. Run: QT_QPA_PLATFORM=offscreen bench/bench_open
add_executable(bench_open
  bench_open.cpp
  ${PROJECT_SOURCE_DIR}/app/mainwindow.h
  ${PROJECT_SOURCE_DIR}/app/mainwindow.cpp
  ${PROJECT_SOURCE_DIR}/app/mainwindowproject.cpp
  ${PROJECT_SOURCE_DIR}/app/mainwindowreview.cpp
  ${PROJECT_SOURCE_DIR}/resources/resources.qrc
)
target_link_libraries(bench_open PRIVATE salient_widgets salient_core Qt6::Widgets)
