/* SPDX-License-Identifier: MIT */
/*
 * cu.c - the compute units of a software device: one worker thread per CU,
 * started on the first dispatch. Workers take work-groups from the active
 * dispatches in arrival order, so dispatches from several queues share the
 * CUs. Each worker owns the dynamic shared memory buffer it hands to the
 * work-groups it runs. Calls nothing else of the shim but kmd_log().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kmd.h"

struct kmd_cu_pool {
	pthread_mutex_t lock;
	pthread_cond_t work;
	struct kmd_dispatch *head, *tail;
	uint32_t nthreads;
};

struct kmd_cu_worker {
	struct kmd_cu_pool *pool;
	void *shared;
	size_t shared_size;
};

/* Takes a group of the head dispatch; drops the dispatch from the list
 * once its last group is handed out. Pool lock held. */
static struct kmd_dispatch *pool_take(struct kmd_cu_pool *pool, uint64_t *group)
{
	struct kmd_dispatch *d = pool->head;

	*group = atomic_fetch_add(&d->next, 1);
	if (*group + 1 >= d->groups) {
		pool->head = d->link;
		if (!pool->head)
			pool->tail = NULL;
	}
	return d;
}

static int run_group(struct kmd_cu_worker *w, struct kmd_dispatch *d, uint64_t g)
{
	struct musa_wg wg;
	uint64_t gx = d->launch.grid[0], gy = d->launch.grid[1];

	memset(&wg, 0, sizeof(wg));
	if (d->launch.dyn_shared_size > w->shared_size) {
		void *n = realloc(w->shared, d->launch.dyn_shared_size);

		if (!n)
			return MUSA_WG_OUT_OF_RESOURCES;
		w->shared = n;
		w->shared_size = d->launch.dyn_shared_size;
	}
	wg.launch = &d->launch;
	wg.block_idx[0] = (uint32_t)(g % gx);
	wg.block_idx[1] = (uint32_t)((g / gx) % gy);
	wg.block_idx[2] = (uint32_t)(g / (gx * gy));
	wg.dyn_shared = w->shared;
	return d->entry(&wg);
}

static void *cu_worker(void *arg)
{
	struct kmd_cu_worker *w = arg;
	struct kmd_cu_pool *pool = w->pool;

	pthread_mutex_lock(&pool->lock);
	for (;;) {
		struct kmd_dispatch *d;
		uint64_t g;
		int ret = 0;

		while (!pool->head)
			pthread_cond_wait(&pool->work, &pool->lock);
		d = pool_take(pool, &g);
		if (g >= d->groups)
			continue;
		if (d->result == 0) {
			pthread_mutex_unlock(&pool->lock);
			ret = run_group(w, d, g);
			pthread_mutex_lock(&pool->lock);
		}
		/* A failed group skips the rest of its dispatch. */
		if (ret && d->result == 0)
			d->result = ret;
		if (++d->finished == d->groups)
			pthread_cond_broadcast(&d->done);
	}
	return NULL;
}

static void cu_pool_start(struct kmd_device *dev, struct kmd_cu_pool *pool)
{
	uint32_t n = dev->info.compute_units;

	for (uint32_t i = 0; i < n; i++) {
		struct kmd_cu_worker *w = calloc(1, sizeof(*w));
		pthread_attr_t attr;
		pthread_t t;
		int err;

		if (!w)
			break;
		w->pool = pool;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		err = pthread_create(&t, &attr, cu_worker, w);
		pthread_attr_destroy(&attr);
		if (err) {
			free(w);
			break;
		}
		pool->nthreads++;
	}
}

static pthread_mutex_t cu_init_lock = PTHREAD_MUTEX_INITIALIZER;

static struct kmd_cu_pool *cu_pool_get(struct kmd_device *dev)
{
	struct kmd_cu_pool *pool;

	pthread_mutex_lock(&cu_init_lock);
	pool = dev->cu;
	if (!pool) {
		pool = calloc(1, sizeof(*pool));
		if (pool) {
			pthread_mutex_init(&pool->lock, NULL);
			pthread_cond_init(&pool->work, NULL);
			cu_pool_start(dev, pool);
			if (pool->nthreads == 0) {
				kmd_log("device %u: no compute unit could start", dev->index);
				pthread_cond_destroy(&pool->work);
				pthread_mutex_destroy(&pool->lock);
				free(pool);
				pool = NULL;
			}
			dev->cu = pool;
		}
	}
	pthread_mutex_unlock(&cu_init_lock);
	return pool;
}

int kmd_cu_run(struct kmd_device *dev, struct kmd_dispatch *d)
{
	struct kmd_cu_pool *pool = cu_pool_get(dev);
	int result;

	if (!pool)
		return -ENOMEM;
	if (d->groups == 0)
		return 0;
	atomic_init(&d->next, 0);
	d->finished = 0;
	d->result = 0;
	d->link = NULL;
	pthread_cond_init(&d->done, NULL);

	pthread_mutex_lock(&pool->lock);
	if (pool->tail)
		pool->tail->link = d;
	else
		pool->head = d;
	pool->tail = d;
	pthread_cond_broadcast(&pool->work);
	while (d->finished < d->groups)
		pthread_cond_wait(&d->done, &pool->lock);
	result = d->result;
	pthread_mutex_unlock(&pool->lock);
	pthread_cond_destroy(&d->done);
	return result;
}
