/* SPDX-License-Identifier: MIT */
/*
 * test_bfs.mu - the job of Rodinia's bfs: breadth-first search levels
 * (hop counts from a source) over a graph in compressed adjacency form,
 * one frontier per pair of launches: the first kernel expands every node of
 * the frontier mask to its unvisited neighbours (marking them in an
 * updating mask), the second turns the updating mask into the next
 * frontier and raises a global "over" flag (a __device__ bool read back
 * with musaMemcpyFromSymbol) while there is one. The graph is generated
 * here; the host reference is a queue BFS.
 */
#include "port_test.h"

struct Node {
	int starting;      /* first edge in the edge list */
	int no_of_edges;
};

__device__ bool g_over;

__global__ void bfs_expand(const struct Node *nodes, const int *edges, bool *mask,
			   bool *updating, const bool *visited, int *cost, int n)
{
	int tid = blockIdx.x * blockDim.x + threadIdx.x;

	if (tid < n && mask[tid]) {
		mask[tid] = false;
		for (int i = nodes[tid].starting; i < nodes[tid].starting + nodes[tid].no_of_edges; i++) {
			int id = edges[i];

			/* every writer of cost[id] is on the same level */
			if (!visited[id]) {
				cost[id] = cost[tid] + 1;
				updating[id] = true;
			}
		}
	}
}

__global__ void bfs_advance(bool *mask, bool *updating, bool *visited, int n)
{
	int tid = blockIdx.x * blockDim.x + threadIdx.x;

	if (tid < n && updating[tid]) {
		mask[tid] = true;
		visited[tid] = true;
		g_over = true;
		updating[tid] = false;
	}
}

/* A random graph: each node gets 1..max_deg edges (every seventh none), most
 * to nearby nodes (long paths), a few anywhere. */
static int *make_graph(struct Node *nodes, int n, int max_deg, int *n_edges, unsigned seed)
{
	int *edges = (int *)malloc((size_t)n * max_deg * sizeof(int)), e = 0;

	for (int i = 0; i < n; i++) {
		int deg = (i % 7 == 3) ? 0 : 1 + (int)(port_rand(&seed) % (unsigned)max_deg);

		nodes[i].starting = e;
		nodes[i].no_of_edges = deg;
		for (int k = 0; k < deg; k++) {
			unsigned r = port_rand(&seed);

			edges[e++] = (r % 8 == 0) ? (int)(port_rand(&seed) % (unsigned)n)
						  : (i + 1 + (int)(r % 5)) % n;
		}
	}
	*n_edges = e;
	return edges;
}

static void run_bfs(int n, int max_deg, int source, unsigned seed)
{
	struct Node *nodes = (struct Node *)malloc(n * sizeof(struct Node));
	int n_edges, *edges = make_graph(nodes, n, max_deg, &n_edges, seed);
	bool *mask = (bool *)calloc(n, sizeof(bool)), *visited = (bool *)calloc(n, sizeof(bool));
	int *cost = (int *)malloc(n * sizeof(int)), *want = (int *)malloc(n * sizeof(int));
	int *queue = (int *)malloc(n * sizeof(int)), head = 0, tail = 0, levels = 0, max_level = 0;
	struct Node *dnodes = (struct Node *)dev_alloc(n * sizeof(struct Node));
	int *dedges = (int *)dev_alloc((n_edges ? n_edges : 1) * sizeof(int));
	bool *dmask = (bool *)dev_alloc(n), *dupd = (bool *)dev_alloc(n), *dvis = (bool *)dev_alloc(n);
	int *dcost = (int *)dev_alloc(n * sizeof(int));
	int threads = 256, blocks = (n + threads - 1) / threads;
	bool over;

	while (nodes[source].no_of_edges == 0)   /* start somewhere with a way out */
		source = (source + 1) % n;
	for (int i = 0; i < n; i++)
		cost[i] = -1;
	cost[source] = 0;
	mask[source] = true;
	visited[source] = true;
	dev_put(dnodes, nodes, n * sizeof(struct Node));
	dev_put(dedges, edges, n_edges * sizeof(int));
	dev_put(dmask, mask, n);
	dev_put(dvis, visited, n);
	dev_put(dcost, cost, n * sizeof(int));
	do {
		over = false;
		MUSA_OK(musaMemcpyToSymbol(g_over, &over, sizeof(bool)));
		bfs_expand<<<blocks, threads>>>(dnodes, dedges, dmask, dupd, dvis, dcost, n);
		bfs_advance<<<blocks, threads>>>(dmask, dupd, dvis, n);
		MUSA_OK(musaGetLastError());
		MUSA_OK(musaMemcpyFromSymbol(&over, g_over, sizeof(bool)));
		levels++;
		ck_assert_int_le(levels, n + 1);
	} while (over);
	dev_get(cost, dcost, n * sizeof(int));

	for (int i = 0; i < n; i++)
		want[i] = -1;
	want[source] = 0;
	queue[tail++] = source;
	while (head < tail) {
		int u = queue[head++];

		for (int k = nodes[u].starting; k < nodes[u].starting + nodes[u].no_of_edges; k++)
			if (want[edges[k]] < 0) {
				want[edges[k]] = want[u] + 1;
				if (want[u] + 1 > max_level)
					max_level = want[u] + 1;
				queue[tail++] = edges[k];
			}
	}
	for (int i = 0; i < n; i++)
		ck_assert_msg(cost[i] == want[i], "node %d: cost %d, want %d", i, cost[i], want[i]);
	/* one round per level, plus the one that finds no new frontier */
	ck_assert_int_eq(levels, max_level + 1);
	ck_assert_int_gt(max_level, 3);   /* the graph was not trivial */
	MUSA_OK(musaFree(dnodes));
	MUSA_OK(musaFree(dedges));
	MUSA_OK(musaFree(dmask));
	MUSA_OK(musaFree(dupd));
	MUSA_OK(musaFree(dvis));
	MUSA_OK(musaFree(dcost));
	free(nodes);
	free(edges);
	free(mask);
	free(visited);
	free(cost);
	free(want);
	free(queue);
}

START_TEST(graph_4096)
{
	run_bfs(4096, 6, 0, 1u);
}
END_TEST

START_TEST(graph_50000_sparse)
{
	run_bfs(50000, 3, 1234, 7u);
}
END_TEST

DEV_TEST_MAIN("ports-bfs", graph_4096, graph_50000_sparse)
