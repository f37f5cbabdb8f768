/* SPDX-License-Identifier: MIT */
/*
 * mlsd's control socket for mlsctl (docs/CONTROL.md), served from the
 * agent's event loop.
 */
#ifndef MLSD_CONTROL_H
#define MLSD_CONTROL_H

struct mlsd_agent;
struct mlsd_group;
struct mlsd_err;

/* Open [Interface] ControlSocket (root only) and poll it in the loop. */
int mlsd_control_open(struct mlsd_agent *a, struct mlsd_err *e);
void mlsd_control_close(struct mlsd_agent *a);
/* gr moved to a new epoch: note the time, tell the monitors. */
void mlsd_control_epoch(struct mlsd_agent *a, struct mlsd_group *gr);

#endif
