/* SPDX-License-Identifier: MIT */
/*
 * graph.h - private layout of graphs, graph nodes and executable graphs,
 * shared by graph.c (the muGraph* API, instantiation and launch) and
 * capture.c (stream capture, which builds graphs from stream work).
 *
 * A graph is a list of nodes; each node holds private copies of its
 * parameters and two edge arrays (dependencies and dependents). An
 * executable graph holds a private clone of the graph it was made from and
 * a flat topological order of the clone's nodes, child graphs expanded, so
 * a launch enqueues the nodes one after the other on the launch stream.
 */
#ifndef UMD_GRAPH_H
#define UMD_GRAPH_H

#include "umd.h"

struct umd_gedges {
	MUgraphNode *v;
	size_t n, cap;
};

struct umd_gkernel {
	MUfunction f;
	unsigned int grid[3], block[3], shared;
	unsigned char *args;   /* packed kernarg block (kernarg_size bytes) */
	size_t size;
	void **params;         /* params[i] points into args, one per parameter */
};


struct MUgraphNode_st {
	struct umd_list link;          /* in graph->nodes, creation order */
	struct MUgraph_st *graph;
	MUgraphNodeType type;
	struct umd_gedges deps;        /* nodes this one depends on */
	struct umd_gedges outs;        /* nodes depending on this one */
	struct MUgraphNode_st *orig;   /* the node this one is a clone of */
	unsigned int mark;             /* scratch for traversals */
	union {
		struct umd_gkernel k;
		MUSA_MEMCPY3D c;             /* arrays not supported */
		MUSA_MEMSET_NODE_PARAMS s;
		MUSA_HOST_NODE_PARAMS h;
		struct MUgraph_st *child;   /* owned clone */
		MUevent ev;
	} u;
};

struct MUgraph_st {
	struct umd_list nodes;
	size_t count;
};

struct MUgraphExec_st {
	struct MUgraph_st *g;          /* private clone */
	MUgraphNode *order;            /* launch order, child graphs expanded */
	size_t n;
	pthread_mutex_t lock;          /* launches of one exec are serialized */
	MUevent done;                  /* recorded at the end of each launch */
	MUcontext done_ctx;
	MUstream last;                 /* stream of the previous launch */
};

/* graph.c, used by capture.c. */

/* Appends n to e: MUSA_SUCCESS or MUSA_ERROR_OUT_OF_MEMORY. */
MUresult umd_edges_add(struct umd_gedges *e, MUgraphNode n);
/* Whether e holds n. */
int umd_edges_has(const struct umd_gedges *e, MUgraphNode n);
/* A new empty graph, registered as a handle. */
MUresult umd_graph_new(MUgraph *out);
void umd_graph_free(MUgraph g);
/* Adds a node of `type` depending on deps (already validated, no
 * duplicates); the payload is filled in by the caller. */
MUresult umd_graph_node_new(MUgraph g, MUgraphNodeType type, const MUgraphNode *deps,
			    size_t ndeps, MUgraphNode *out);
/* Removes and frees a node (its payload too). */
void umd_graph_node_free(MUgraphNode n);
/* Deep copy of g; clone nodes point at their originals through orig. */
MUresult umd_graph_clone(MUgraph g, MUgraph *out);
/* Packs launch parameters for f (umd_kernarg_pack, or an already packed
 * block) into a private block of k; bad arguments get muLaunchKernel's errors. */
MUresult umd_gkernel_set(struct umd_gkernel *k, MUfunction f, const unsigned int grid[3],
			 const unsigned int block[3], unsigned int shared,
			 void **params, void **extra, const void *packed);
void umd_gkernel_clear(struct umd_gkernel *k);

/* capture.c, used by graph.c. */

/* muGraphLaunch into a capturing stream: adds a child graph node holding a
 * clone of g. Same convention as the umd_capture_* hooks of umd.h. */
int umd_capture_graph(struct MUstream_st *s, MUgraph g, MUresult *r);
/* Whether g is the graph of a capture in progress (not to be destroyed). */
int umd_capture_owns(MUgraph g);

#endif /* UMD_GRAPH_H */
