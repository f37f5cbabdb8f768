// SPDX-License-Identifier: GPL-2.0-only
/*
 * UDP sockets of a device, opened like WireGuard's in the namespace the
 * device was created in, so the device may move to a container while its
 * traffic uses the host's network. Called under RTNL.
 */

#include <linux/net.h>
#include <linux/rtnetlink.h>
#include <net/ipv6.h>
#include <net/udp_tunnel.h>

#include "device.h"
#include "group.h"
#include "packet.h"
#include "udp.h"

static struct socket *mlsdco_udp_sock(struct mlsdco_dev *mdev, struct net *net,
				      bool ipv6, u16 port)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data	= mdev,
		.encap_type	= 1,
		.encap_rcv	= mlsdco_udp_encap_recv,
	};
	struct udp_port_cfg cfg = {
		.local_udp_port	= htons(port),
	};
	struct socket *sock;
	int err;

	if (ipv6) {
		cfg.family = AF_INET6;
		cfg.local_ip6 = in6addr_any;
		cfg.ipv6_v6only = true;
		cfg.use_udp6_rx_checksums = true;
		cfg.use_udp6_tx_checksums = true;
	} else {
		cfg.family = AF_INET;
		cfg.local_ip.s_addr = htonl(INADDR_ANY);
	}
	err = udp_sock_create(net, &cfg, &sock);
	if (err)
		return ERR_PTR(err);
	setup_udp_tunnel_sock(net, sock, &tcfg);
	return sock;
}

static void mlsdco_udp_release(struct socket *sock)
{
	if (sock)
		udp_tunnel_sock_release(sock);
}

/* Binds both families to @port (0: the kernel picks, IPv6 then follows
 * IPv4's choice). Replaces any sockets open before, after a grace period.
 */
int mlsdco_udp_open(struct mlsdco_dev *mdev, u16 port)
{
	struct socket *s4, *s6 = NULL;
	struct net *net;

	ASSERT_RTNL();
	net = rtnl_dereference(mdev->creating_net);
	if (!net)
		return -ENETDOWN;

	mlsdco_udp_close(mdev);
	s4 = mlsdco_udp_sock(mdev, net, false, port);
	if (IS_ERR(s4))
		return PTR_ERR(s4);
	if (ipv6_mod_enabled()) {
		s6 = mlsdco_udp_sock(mdev, net, true,
				     ntohs(inet_sk(s4->sk)->inet_sport));
		/* A host without IPv6 still gets a working IPv4 tunnel. */
		if (IS_ERR(s6)) {
			if (PTR_ERR(s6) != -EAFNOSUPPORT) {
				mlsdco_udp_release(s4);
				return PTR_ERR(s6);
			}
			s6 = NULL;
		}
	}
	rcu_assign_pointer(mdev->sock4, s4);
	rcu_assign_pointer(mdev->sock6, s6);
	return 0;
}

void mlsdco_udp_close(struct mlsdco_dev *mdev)
{
	struct socket *s4 = rtnl_dereference(mdev->sock4);
	struct socket *s6 = rtnl_dereference(mdev->sock6);

	RCU_INIT_POINTER(mdev->sock4, NULL);
	RCU_INIT_POINTER(mdev->sock6, NULL);
	if (s4 || s6)
		synchronize_net();
	/* No packet path runs now; new sockets mean new routes. */
	mlsdco_endpoints_reset_routes(mdev);
	mlsdco_udp_release(s4);
	mlsdco_udp_release(s6);
}
