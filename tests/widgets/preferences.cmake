# Edit > Preferences…: the largest image setting, stored in QSettings and
# applied to core's pixel limit. The dialog is compiled in directly: it needs
# only core's imaging module, not the whole widget library.
salient_add_test(widgets_preferences GUI
  SOURCES tst_preferences.cpp ${PROJECT_SOURCE_DIR}/widgets/preferencesdialog.h
          ${PROJECT_SOURCE_DIR}/widgets/preferencesdialog.cpp
  LIBS salient_core_imaging Qt6::Widgets)
