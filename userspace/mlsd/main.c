// SPDX-License-Identifier: MIT
/*
 * mlsd, the mlsdco agent (mlsd(8), docs/AGENT.md): mlsd -c FILE [-f].
 * Startup errors are printed and exit with status 1; SIGTERM and SIGINT
 * stop it cleanly (the kernel keeps its groups: a restarted mlsd
 * reconciles with them).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"

static struct mlsd_loop *running;

static void on_signal(int sig)
{
	(void)sig;
	if (running)
		running->stop = true;
}

static void usage(FILE *f)
{
	fputs("usage: mlsd -c FILE [-f]\n"
	      "  -c FILE  configuration (mlsd.conf(5))\n"
	      "  -f       stay in the foreground\n", f);
}

static void signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

int main(int argc, char **argv)
{
	static struct mlsd_agent agent;
	const char *config = NULL;
	bool foreground = false;
	struct mlsd_err e;
	int opt;

	while ((opt = getopt(argc, argv, "c:fh")) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;
		case 'f':
			foreground = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!config || optind != argc) {
		usage(stderr);
		return 2;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	srandom((unsigned int)time(NULL) ^ (unsigned int)getpid());
	if (mlsd_agent_init(&agent, config, &e)) {
		fprintf(stderr, "mlsd: %s\n", e.msg);
		mlsd_agent_free(&agent);
		return 1;
	}
	if (!foreground && daemon(0, 1)) {
		perror("mlsd: daemon");
		mlsd_agent_free(&agent);
		return 1;
	}
	signals();
	running = &agent.loop;
	mlsd_agent_run(&agent);
	running = NULL;
	mlsd_log("stopping");
	mlsd_agent_free(&agent);
	return 0;
}
