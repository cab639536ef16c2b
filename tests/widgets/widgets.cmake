# GUI suites: the main window driven offscreen with real clicks and keys.
# The main window's sources and the fixture are compiled once, shared by all.
add_library(salient_test_app OBJECT
  ${PROJECT_SOURCE_DIR}/app/mainwindow.h
  ${PROJECT_SOURCE_DIR}/app/mainwindow.cpp
  ${PROJECT_SOURCE_DIR}/app/mainwindowproject.cpp
  ${PROJECT_SOURCE_DIR}/app/mainwindowreview.cpp
  browserfixture.h browserfixture.cpp
  ${PROJECT_SOURCE_DIR}/resources/resources.qrc
)
target_link_libraries(salient_test_app PUBLIC salient_widgets salient_core salient_test_support
                      Qt6::Widgets Qt6::Test)

foreach(suite browser classpanel import)
  salient_add_test(widgets_${suite} GUI
    SOURCES tst_${suite}.cpp
    LIBS salient_test_app salient_widgets salient_core Qt6::Widgets)
endforeach()

# Without a display the studio explains itself instead of crashing in a plugin.
if(TARGET salient)
  add_test(NAME widgets_nodisplay
    COMMAND ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY
            --unset=QT_QPA_PLATFORM $<TARGET_FILE:salient>)
  set_tests_properties(widgets_nodisplay PROPERTIES
    PASS_REGULAR_EXPRESSION "no display found; run under xvfb-run, or use salient-cli")
endif()
