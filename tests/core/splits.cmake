# Class balance and leak-free, stratified splits.
salient_add_test(tst_splitter SOURCES ${CMAKE_CURRENT_LIST_DIR}/splittertest.cpp LIBS salient_core_project)
salient_add_test(tst_balance SOURCES ${CMAKE_CURRENT_LIST_DIR}/balancetest.cpp LIBS salient_core_project)
