/* Shared by the mcc test programs: stop with a message on the first error. */
#ifndef MCC_TEST_CHECK_H
#define MCC_TEST_CHECK_H
#include <stdio.h>
#include <stdlib.h>
#include <musa_runtime.h>

#define CHECK(call) do {                                                        \
	musaError_t e_ = (call);                                                \
	if (e_ != musaSuccess) {                                                \
		fprintf(stderr, "%s:%d: %s -> %s\n", __FILE__, __LINE__, #call,  \
			musaGetErrorName(e_));                                   \
		return 1;                                                       \
	}                                                                       \
} while (0)

#define EXPECT(cond) do {                                                       \
	if (!(cond)) {                                                          \
		fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond); \
		return 1;                                                       \
	}                                                                       \
} while (0)
#endif
