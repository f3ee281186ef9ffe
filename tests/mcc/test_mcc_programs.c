/* SPDX-License-Identifier: MIT */
/*
 * test_mcc_programs.c - the second half of test_mcc's "mcc programs" (the
 * cases tagged TEST_MCC_SECOND), as a program of its own so that
 * tools/run-tests.sh runs the two halves side by side. Its outputs go to a
 * work folder of its own.
 */
#define WORK             TEST_BUILD_DIR "/tests/mcc/work-second"
#define TEST_MCC_INCLUDE TEST_MCC_SECOND
#define TEST_MCC_EXCLUDE NULL

#include "test_mcc.c"
