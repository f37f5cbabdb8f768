// SPDX-License-Identifier: MIT
/*
 * Fork-join runs of independent jobs on short-lived pthreads. Jobs are
 * handed out in index order from one counter, so once an index has
 * failed every later one can be skipped while every earlier one still
 * runs: the error reported is the lowest failing index's, whatever the
 * scheduling.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "mls/error.h"
#include "mls/threads.h"
#include "parallel.h"

struct parallel_run {
	mls_parallel_fn fn;
	void *ctx;
	size_t n;
	atomic_size_t next;
	atomic_size_t first_bad;	/* n while no job has failed */
	pthread_mutex_t lock;		/* guards err against first_bad */
	int err;
};

static unsigned int parse_threads(const char *v)
{
	char *end;
	long k;

	if (!v || !*v)
		return 0;
	k = strtol(v, &end, 10);
	if (*end || k < 1)
		return 0;
	return k > MLS_PARALLEL_MAX_THREADS ? MLS_PARALLEL_MAX_THREADS :
					      (unsigned int)k;
}

static unsigned int usable_cpus(void)
{
	cpu_set_t set;
	int k;

	/* The affinity mask, not the machine: taskset and cgroups pin us. */
	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	k = CPU_COUNT(&set);
	return k > 0 ? (unsigned int)k : 1;
}

/* mls_set_threads's count, 0 when unset. */
static atomic_uint threads_set;
/*
 * MLS_THREADS, read once: getenv races with a setenv on another thread,
 * and a count that changed between calls would be a surprise anyway.
 */
static unsigned int threads_env;
static pthread_once_t threads_env_once = PTHREAD_ONCE_INIT;

static void read_threads_env(void)
{
	threads_env = parse_threads(getenv("MLS_THREADS"));
}

int mls_set_threads(unsigned int n)
{
	if (n > MLS_MAX_THREADS)
		return MLS_ERR_INVALID_ARG;
	atomic_store(&threads_set, n);
	return 0;
}

unsigned int mls_threads(void)
{
	unsigned int k = atomic_load(&threads_set);

	if (k)
		return k;
	pthread_once(&threads_env_once, read_threads_env);
	if (threads_env)
		return threads_env;
	/* computed each time: the affinity mask may change under us */
	k = usable_cpus();
	return k < MLS_PARALLEL_DEFAULT_CAP ? k : MLS_PARALLEL_DEFAULT_CAP;
}

static void record_failure(struct parallel_run *r, size_t i, int err)
{
	pthread_mutex_lock(&r->lock);
	if (i < atomic_load(&r->first_bad)) {
		atomic_store(&r->first_bad, i);
		r->err = err;
	}
	pthread_mutex_unlock(&r->lock);
}

static void *work(void *arg)
{
	struct parallel_run *r = arg;
	size_t i;
	int err;

	for (;;) {
		i = atomic_fetch_add(&r->next, 1);
		if (i >= r->n || i > atomic_load(&r->first_bad))
			break;
		err = r->fn(r->ctx, i);
		if (err)
			record_failure(r, i, err);
	}
	return NULL;
}

static int run_serial(size_t n, mls_parallel_fn fn, void *ctx,
		      size_t *failed)
{
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		err = fn(ctx, i);
		if (err) {
			if (failed)
				*failed = i;
			return err;
		}
	}
	return 0;
}

/*
 * Workers start with every signal blocked, so a process's handlers keep
 * running on its own threads, never on ours.
 */
static unsigned int start_workers(struct parallel_run *r, pthread_t *tid,
				  unsigned int want)
{
	sigset_t all, old;
	unsigned int k;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (k = 0; k < want; k++)
		if (pthread_create(&tid[k], NULL, work, r))
			break;	/* fewer helpers: slower, still correct */
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return k;
}

int mls_parallel_run_on(unsigned int threads, size_t n, mls_parallel_fn fn,
			void *ctx, size_t *failed)
{
	pthread_t tid[MLS_PARALLEL_MAX_THREADS];
	struct parallel_run r = { .fn = fn, .ctx = ctx, .n = n };
	unsigned int started, k;

	if (!fn)
		return MLS_ERR_INVALID_ARG;
	if (threads > MLS_PARALLEL_MAX_THREADS)
		threads = MLS_PARALLEL_MAX_THREADS;
	if (threads > n)
		threads = (unsigned int)n;
	if (threads <= 1)
		return run_serial(n, fn, ctx, failed);
	atomic_init(&r.next, 0);
	atomic_init(&r.first_bad, n);
	if (pthread_mutex_init(&r.lock, NULL))
		return run_serial(n, fn, ctx, failed);
	started = start_workers(&r, tid, threads - 1);
	work(&r);
	for (k = 0; k < started; k++)
		pthread_join(tid[k], NULL);
	pthread_mutex_destroy(&r.lock);
	if (r.err && failed)
		*failed = atomic_load(&r.first_bad);
	return r.err;
}

int mls_parallel_run(size_t n, size_t min_jobs, mls_parallel_fn fn,
		     void *ctx, size_t *failed)
{
	if (n < min_jobs || n < 2)
		return run_serial(n, fn, ctx, failed);
	return mls_parallel_run_on(mls_threads(), n, fn, ctx,
				   failed);
}
