# Issue #9: a second studio on an open project (the holder is tests/core's lockholder).
salient_add_test(widgets_lockstudio GUI
  SOURCES tst_lockstudio.cpp
  LIBS salient_test_app salient_widgets salient_core Qt6::Widgets)
target_compile_definitions(widgets_lockstudio PRIVATE LOCKHOLDER_PATH="$<TARGET_FILE:lockholder>")
add_dependencies(widgets_lockstudio lockholder)
