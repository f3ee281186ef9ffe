/* SPDX-License-Identifier: MIT */
/*
 * mccl.h - MCCL, the collective communication library of the MUSA stack:
 * NCCL's API under mccl names, one for one (musify maps nccl* -> mccl*).
 * Calls take a communicator (one rank of a clique) and a stream: each
 * operation is queued on the stream and runs in stream order, like a
 * kernel. Buffers are device memory of the rank's device (or any memory
 * the device can address). docs/mccl.md describes the transports.
 */
#ifndef MCCL_H
#define MCCL_H

#include <limits.h>
#include <stddef.h>

#include "musa_runtime.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define MCCL_MAJOR 2
#define MCCL_MINOR 19
#define MCCL_PATCH 3
#define MCCL_SUFFIX ""
#define MCCL_VERSION_CODE 21903
#define MCCL_VERSION(X, Y, Z) (((X) <= 2 && (Y) <= 8) ? (X) * 1000 + (Y) * 100 + (Z) : \
			       (X) * 10000 + (Y) * 100 + (Z))

typedef struct mcclComm *mcclComm_t;
#define MCCL_COMM_NULL NULL

#define MCCL_UNIQUE_ID_BYTES 128
typedef struct {
	char internal[MCCL_UNIQUE_ID_BYTES];
} mcclUniqueId;

typedef enum {
	mcclSuccess = 0,
	mcclUnhandledMusaError = 1,
	mcclSystemError = 2,
	mcclInternalError = 3,
	mcclInvalidArgument = 4,
	mcclInvalidUsage = 5,
	mcclRemoteError = 6,
	mcclInProgress = 7,
	mcclNumResults = 8
} mcclResult_t;

#define MCCL_CONFIG_UNDEF_INT INT_MIN
#define MCCL_CONFIG_UNDEF_PTR NULL
#define MCCL_SPLIT_NOCOLOR -1

typedef struct mcclConfig_v21700 {
	size_t size;
	unsigned int magic;
	unsigned int version;
	int blocking;
	int cgaClusterSize;
	int minCTAs;
	int maxCTAs;
	const char *netName;
	int splitShare;
} mcclConfig_t;

#define MCCL_CONFIG_INITIALIZER {                                               \
	sizeof(mcclConfig_t), 0xcafebeef, MCCL_VERSION(MCCL_MAJOR, MCCL_MINOR, MCCL_PATCH), \
	MCCL_CONFIG_UNDEF_INT, MCCL_CONFIG_UNDEF_INT, MCCL_CONFIG_UNDEF_INT,    \
	MCCL_CONFIG_UNDEF_INT, MCCL_CONFIG_UNDEF_PTR, MCCL_CONFIG_UNDEF_INT }

typedef enum {
	mcclInt8 = 0, mcclChar = 0,
	mcclUint8 = 1,
	mcclInt32 = 2, mcclInt = 2,
	mcclUint32 = 3,
	mcclInt64 = 4,
	mcclUint64 = 5,
	mcclFloat16 = 6, mcclHalf = 6,
	mcclFloat32 = 7, mcclFloat = 7,
	mcclFloat64 = 8, mcclDouble = 8,
	mcclBfloat16 = 9,
	mcclNumTypes = 10
} mcclDataType_t;

typedef enum {
	mcclSum = 0,
	mcclProd = 1,
	mcclMax = 2,
	mcclMin = 3,
	mcclAvg = 4,
	mcclNumOps = 5,
	mcclMaxRedOp = 0x7fffffff
} mcclRedOp_t;

typedef enum {
	mcclScalarDevice = 0,
	mcclScalarHostImmediate = 1
} mcclScalarResidence_t;

mcclResult_t mcclGetVersion(int *version);
mcclResult_t mcclGetUniqueId(mcclUniqueId *uniqueId);
mcclResult_t mcclCommInitRankConfig(mcclComm_t *comm, int nranks, mcclUniqueId commId, int rank,
				    mcclConfig_t *config);
mcclResult_t mcclCommInitRank(mcclComm_t *comm, int nranks, mcclUniqueId commId, int rank);
mcclResult_t mcclCommInitAll(mcclComm_t *comm, int ndev, const int *devlist);
mcclResult_t mcclCommFinalize(mcclComm_t comm);
mcclResult_t mcclCommDestroy(mcclComm_t comm);
mcclResult_t mcclCommAbort(mcclComm_t comm);
const char *mcclGetErrorString(mcclResult_t result);
const char *mcclGetLastError(mcclComm_t comm);
mcclResult_t mcclCommGetAsyncError(mcclComm_t comm, mcclResult_t *asyncError);
mcclResult_t mcclCommCount(const mcclComm_t comm, int *count);
mcclResult_t mcclCommMuDevice(const mcclComm_t comm, int *device);
mcclResult_t mcclCommUserRank(const mcclComm_t comm, int *rank);

mcclResult_t mcclRedOpCreatePreMulSum(mcclRedOp_t *op, void *scalar, mcclDataType_t datatype,
				      mcclScalarResidence_t residence, mcclComm_t comm);
mcclResult_t mcclRedOpDestroy(mcclRedOp_t op, mcclComm_t comm);

mcclResult_t mcclReduce(const void *sendbuff, void *recvbuff, size_t count,
			mcclDataType_t datatype, mcclRedOp_t op, int root, mcclComm_t comm,
			musaStream_t stream);
mcclResult_t mcclBcast(void *buff, size_t count, mcclDataType_t datatype, int root,
		       mcclComm_t comm, musaStream_t stream);
mcclResult_t mcclBroadcast(const void *sendbuff, void *recvbuff, size_t count,
			   mcclDataType_t datatype, int root, mcclComm_t comm, musaStream_t stream);
mcclResult_t mcclAllReduce(const void *sendbuff, void *recvbuff, size_t count,
			   mcclDataType_t datatype, mcclRedOp_t op, mcclComm_t comm,
			   musaStream_t stream);
mcclResult_t mcclReduceScatter(const void *sendbuff, void *recvbuff, size_t recvcount,
			       mcclDataType_t datatype, mcclRedOp_t op, mcclComm_t comm,
			       musaStream_t stream);
mcclResult_t mcclAllGather(const void *sendbuff, void *recvbuff, size_t sendcount,
			   mcclDataType_t datatype, mcclComm_t comm, musaStream_t stream);
mcclResult_t mcclSend(const void *sendbuff, size_t count, mcclDataType_t datatype, int peer,
		      mcclComm_t comm, musaStream_t stream);
mcclResult_t mcclRecv(void *recvbuff, size_t count, mcclDataType_t datatype, int peer,
		      mcclComm_t comm, musaStream_t stream);
mcclResult_t mcclGroupStart(void);
mcclResult_t mcclGroupEnd(void);

#if defined(__cplusplus)
}
#endif

#endif /* MCCL_H */
