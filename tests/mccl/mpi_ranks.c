/* SPDX-License-Identifier: MIT */
/*
 * mpi_ranks.c - one MCCL rank per MPI process (run by test_mccl.c under
 * mpirun -np 2 and 4, with MCCL_TRANSPORT unset: shared memory, and
 * MCCL_TRANSPORT=mpi): rank 0 makes the unique id and MPI_Bcast hands it
 * out, as NCCL programs do; every rank runs mccl_checks.h's repertoire on
 * its process's device 0. Then MUSA-aware MPI: device pointers go straight
 * to MPI_Sendrecv in a halo exchange. Exit status 0 when all is right.
 */
#include <mpi.h>
#include <stdio.h>

#include "mccl_checks.h"

/* Each rank's device row of 64 ints holds rank * 1000 + i in 1..62 and
 * gets its neighbours' edge values in its halo cells 0 and 63. */
static int halo_exchange(int rank, int n)
{
	int *row, h[64], up = (rank + 1) % n, down = (rank + n - 1) % n, bad = 0;

	if (musaMalloc((void **)&row, sizeof(h)) != musaSuccess)
		return 1;
	for (int i = 0; i < 64; i++)
		h[i] = rank * 1000 + i;
	musaMemcpy(row, h, sizeof(h), musaMemcpyHostToDevice);
	/* device pointers to MPI: the software device's memory is the process's */
	MPI_Sendrecv(row + 62, 1, MPI_INT, up, 1, row, 1, MPI_INT, down, 1, MPI_COMM_WORLD,
		     MPI_STATUS_IGNORE);
	MPI_Sendrecv(row + 1, 1, MPI_INT, down, 2, row + 63, 1, MPI_INT, up, 2, MPI_COMM_WORLD,
		     MPI_STATUS_IGNORE);
	musaMemcpy(h, row, sizeof(h), musaMemcpyDeviceToHost);
	bad |= h[0] != down * 1000 + 62;
	bad |= h[63] != up * 1000 + 1;
	musaFree(row);
	return bad;
}

int main(int argc, char **argv)
{
	int level = 0, rank = 0, n = 0, bad;
	mcclUniqueId id;

	MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &level);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &n);
	if (level != MPI_THREAD_MULTIPLE) {
		fprintf(stderr, "mpi_ranks: MPI gives thread level %d, not MULTIPLE\n", level);
		MPI_Abort(MPI_COMM_WORLD, 2);
	}
	if (rank == 0)
		mcclGetUniqueId(&id);
	MPI_Bcast(&id, sizeof(id), MPI_BYTE, 0, MPI_COMM_WORLD);
	bad = n > MAXR ? 1 : rank_work(id, n, rank, 0);
	if (bad)
		fprintf(stderr, "mpi_ranks: rank %d of %d: failed checks 0x%x\n", rank, n, bad);
	if (halo_exchange(rank, n)) {
		fprintf(stderr, "mpi_ranks: rank %d: halo exchange through device pointers wrong\n",
			rank);
		bad = 1;
	}
	MPI_Allreduce(MPI_IN_PLACE, &bad, 1, MPI_INT, MPI_BOR, MPI_COMM_WORLD);
	MPI_Finalize();
	return bad ? 1 : 0;
}
