// haloExchangeMPI: a Jacobi heat diffusion over a grid split by rows
// between MPI ranks, one device per rank (musaSetDevice(local rank)). Each
// iteration runs a kernel on the rank's rows and trades its edge rows with
// its neighbours by MPI_Sendrecv straight from device memory (MUSA-aware
// MPI: the software device's memory belongs to the process). Rank 0
// gathers the grid and checks it against the same iterations on the host.
//
//   mpirun -np 4 build/samples/haloExchangeMPI [rows per rank] [columns] [iterations]
//
// Without mpirun it runs as one rank. Prints the time per iteration, the
// measure of weak scaling (the rows per rank stay the same as ranks grow).
#include <mpi.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__global__ void jacobi(const float *in, float *out, int nx, int rows)
{
	int x = blockIdx.x * blockDim.x + threadIdx.x;
	int y = blockIdx.y + 1;   // rows 1..rows; 0 and rows + 1 are halos

	if (x >= nx || y > rows)
		return;
	if (x == 0 || x == nx - 1) {
		out[y * nx + x] = in[y * nx + x];   // fixed side walls
		return;
	}
	out[y * nx + x] = 0.25f * (in[(y - 1) * nx + x] + in[(y + 1) * nx + x] +
				   in[y * nx + x - 1] + in[y * nx + x + 1]);
}

static float initial(int gy, int x, int ny)
{
	// a hot top edge and a warm spot
	if (gy == 0)
		return 100.0f;
	return (gy == ny / 2 && x > 10 && x < 20) ? 50.0f : 0.0f;
}

int main(int argc, char **argv)
{
	int rank = 0, n = 1, local = 0, ndev = 1;
	int rows = argc > 1 ? atoi(argv[1]) : 64, nx = argc > 2 ? atoi(argv[2]) : 256;
	int iters = argc > 3 ? atoi(argv[3]) : 100;
	const char *lr = getenv("OMPI_COMM_WORLD_LOCAL_RANK");
	float *a, *b, *h;
	double t0, t, tmax;
	size_t bytes;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &n);
	if (rows < 1 || nx < 3 || iters < 1) {
		if (rank == 0)
			fprintf(stderr, "usage: haloExchangeMPI [rows per rank] [columns] [iterations]\n");
		MPI_Finalize();
		return 2;
	}
	local = lr ? atoi(lr) : rank;
	musaGetDeviceCount(&ndev);
	musaSetDevice(local % ndev);
	bytes = (size_t)(rows + 2) * nx * sizeof(float);
	musaMalloc((void **)&a, bytes);
	musaMalloc((void **)&b, bytes);
	h = (float *)calloc((size_t)(rows + 2) * nx, sizeof(float));
	// the global row of local row y is rank * rows + y - 1; the grid has
	// a fixed top row (global -1 is the hot edge, kept in rank 0's halo)
	for (int y = 0; y < rows + 2; y++)
		for (int x = 0; x < nx; x++)
			h[y * nx + x] = (rank == 0 && y == 0) ? 100.0f :
					(y >= 1 && y <= rows) ? initial(rank * rows + y, x, n * rows) : 0.0f;
	musaMemcpy(a, h, bytes, musaMemcpyHostToDevice);
	musaMemcpy(b, h, bytes, musaMemcpyHostToDevice);

	int up = rank > 0 ? rank - 1 : MPI_PROC_NULL, down = rank < n - 1 ? rank + 1 : MPI_PROC_NULL;
	dim3 block(128), grid((nx + 127) / 128, rows);

	MPI_Barrier(MPI_COMM_WORLD);
	t0 = MPI_Wtime();
	for (int it = 0; it < iters; it++) {
		// halos: my first row up, my last row down; device pointers to MPI
		MPI_Sendrecv(a + nx, nx, MPI_FLOAT, up, 0, a + (rows + 1) * nx, nx, MPI_FLOAT, down, 0,
			     MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		MPI_Sendrecv(a + rows * nx, nx, MPI_FLOAT, down, 1, a, nx, MPI_FLOAT, up, 1,
			     MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		jacobi<<<grid, block>>>(a, b, nx, rows);
		musaDeviceSynchronize();
		float *t_ = a;
		a = b;
		b = t_;
	}
	t = MPI_Wtime() - t0;
	MPI_Reduce(&t, &tmax, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);

	// rank 0 checks the whole grid against the host
	float *all = rank == 0 ? (float *)malloc((size_t)n * rows * nx * sizeof(float)) : NULL;
	MPI_Gather(a + nx, rows * nx, MPI_FLOAT, all, rows * nx, MPI_FLOAT, 0, MPI_COMM_WORLD);
	int ok = 1;
	if (rank == 0) {
		int gy = n * rows;
		float *p = (float *)calloc((size_t)(gy + 2) * nx, sizeof(float));
		float *q = (float *)calloc((size_t)(gy + 2) * nx, sizeof(float));
		double err = 0;

		for (int y = 0; y < gy + 2; y++)
			for (int x = 0; x < nx; x++)
				p[y * nx + x] = y == 0 ? 100.0f : (y <= gy ? initial(y, x, gy) : 0.0f);
		memcpy(q, p, (size_t)(gy + 2) * nx * sizeof(float));
		for (int it = 0; it < iters; it++) {
			for (int y = 1; y <= gy; y++)
				for (int x = 0; x < nx; x++)
					q[y * nx + x] = (x == 0 || x == nx - 1) ? p[y * nx + x] :
						0.25f * (p[(y - 1) * nx + x] + p[(y + 1) * nx + x] +
							 p[y * nx + x - 1] + p[y * nx + x + 1]);
			float *s = p;
			p = q;
			q = s;
		}
		for (int y = 0; y < gy; y++)
			for (int x = 0; x < nx; x++)
				err = fmax(err, fabs(all[y * nx + x] - p[(y + 1) * nx + x]));
		ok = err < 1e-4;
		printf("haloExchangeMPI: %d rank(s), %d x %d cells per rank, %d iterations: "
		       "%.3f ms per iteration, max error %.2e\n", n, rows, nx, iters,
		       tmax * 1e3 / iters, err);
		printf("%s\n", ok ? "Test PASSED" : "Test FAILED");
		free(p);
		free(q);
		free(all);
	}
	MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
	musaFree(a);
	musaFree(b);
	free(h);
	MPI_Finalize();
	return ok ? 0 : 1;
}
