# The training UI (widgets, no LibTorch) against a fake controller.
salient_add_test(widgets_trainingpanel GUI SOURCES tst_trainingpanel.cpp trainingfake.h
  LIBS salient_widgets salient_core Qt6::Widgets)
salient_add_test(widgets_trainingviews GUI SOURCES tst_trainingviews.cpp trainingfake.h
  LIBS salient_widgets salient_core Qt6::Widgets Qt6::Charts)
# In the studio: F9, a confusion cell shows its images in the browser, closing asks first.
salient_add_test(widgets_trainingdock GUI SOURCES tst_trainingdock.cpp trainingfake.h
  LIBS salient_test_app salient_widgets salient_core Qt6::Widgets)
