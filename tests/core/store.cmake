# Project store (core/project): API round trips, migrations, queries at scale, crash safety.
salient_add_test(tst_store SOURCES ${CMAKE_CURRENT_LIST_DIR}/storetest.cpp LIBS SQLite::SQLite3)
salient_add_test(tst_store_query SOURCES ${CMAKE_CURRENT_LIST_DIR}/storequerytest.cpp)
salient_add_test(tst_store_migrations SOURCES ${CMAKE_CURRENT_LIST_DIR}/storemigrationstest.cpp LIBS SQLite::SQLite3)
salient_add_test(tst_store_crash SOURCES ${CMAKE_CURRENT_LIST_DIR}/storecrashtest.cpp LIBS SQLite::SQLite3)
