# The training dock driven with the real TrainingWorker on the tiny project (offscreen).
salient_add_test(train_trainingpanel_real GUI SOURCES tst_trainingpanel_real.cpp
  LIBS salient_train salient_widgets salient_core Qt6::Widgets Qt6::Charts)
