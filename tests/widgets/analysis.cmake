# Before training: the augmentation preview with its recipe editor, and the class balance chart.
salient_add_test(widgets_augmentpreview GUI SOURCES tst_augmentpreview.cpp
  LIBS salient_widgets salient_core Qt6::Widgets)
salient_add_test(widgets_balanceview GUI SOURCES tst_balanceview.cpp
  LIBS salient_widgets salient_core Qt6::Widgets Qt6::Charts)
# Both docks in the studio: F7 / F8, a bar click filters the browser, the preview follows the grid.
salient_add_test(widgets_analysisdocks GUI SOURCES tst_analysisdocks.cpp
  LIBS salient_test_app salient_widgets salient_core Qt6::Widgets Qt6::Charts)
