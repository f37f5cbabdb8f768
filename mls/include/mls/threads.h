/* SPDX-License-Identifier: MIT */
/*
 * How many threads libmls uses, and what may run concurrently.
 *
 * Some calls split independent work over short-lived worker threads: the
 * HPKE encryptions of a Commit's path, the leaf signature checks of a join,
 * tree hashes. The threads live for one call; libmls keeps no other global
 * state than the count set here.
 *
 * Thread safety: calls on different struct mls_group objects may run at
 * the same time on different threads. Calls on one group (even the const
 * ones, while another call changes it) must be serialized by the caller.
 * A struct mls_group owns heap memory and is never copied by value: two
 * copies would share one secret tree and ratchet state and reuse keys.
 * Move a group with mls_group_save / mls_group_load instead.
 */
#ifndef MLS_THREADS_H
#define MLS_THREADS_H

/* Most worker threads one call ever uses. */
#define MLS_MAX_THREADS	16

/*
 * Set the count for the whole process: 1 is serial, up to
 * MLS_MAX_THREADS. 0 goes back to the default: MLS_THREADS from the
 * environment (read once, at the first call that needs the count), else
 * min(CPUs this process may run on, 4). Thread-safe; calls that start
 * after it returns use the new count. MLS_ERR_INVALID_ARG above
 * MLS_MAX_THREADS (the count is then unchanged).
 */
int mls_set_threads(unsigned int n);

/* The count a call starting now would use. */
unsigned int mls_threads(void);

#endif
