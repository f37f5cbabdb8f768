// SPDX-License-Identifier: MIT
/* Device creation, addresses and link up over rtnetlink (link.h). */
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "link.h"

#define LINK_KIND	"mlsdco"

/* Send the request in buf and wait for its ACK: 0 or -errno. */
static int rtnl_talk(struct mnl_socket *nl, struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint32_t portid = mnl_socket_get_portid(nl);
	ssize_t n;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = (uint32_t)time(NULL);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	if (mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, portid, NULL, NULL) < 0)
		return -errno;
	return 0;
}

static int link_create(struct mnl_socket *nl, const char *ifname)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *info;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, LINK_KIND);
	mnl_attr_nest_end(nlh, info);
	return rtnl_talk(nl, nlh);
}

static int link_up(struct mnl_socket *nl, uint32_t ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = (int)ifindex;
	/* multicast runs in the network group: the device takes it */
	ifi->ifi_flags = IFF_UP | IFF_MULTICAST;
	ifi->ifi_change = IFF_UP | IFF_MULTICAST;
	return rtnl_talk(nl, nlh);
}

static int addr_add(struct mnl_socket *nl, uint32_t ifindex,
		    const struct mlsd_prefix *p)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = p->family == 4 ? AF_INET : AF_INET6;
	ifa->ifa_prefixlen = p->len;
	ifa->ifa_index = ifindex;
	/* a tunnel address needs no duplicate detection (as wg-quick) */
	ifa->ifa_flags = p->family == 6 ? IFA_F_NODAD : 0;
	mnl_attr_put(nlh, IFA_LOCAL, mlsd_prefix_addr_len(p), p->addr);
	mnl_attr_put(nlh, IFA_ADDRESS, mlsd_prefix_addr_len(p), p->addr);
	return rtnl_talk(nl, nlh);
}

static int setup(struct mnl_socket *nl, const char *ifname,
		 const struct mlsd_prefix *addrs, size_t n_addrs,
		 uint32_t *ifindex, struct mlsd_err *e)
{
	char buf[MLSD_PREFIX_STRLEN];
	int err;

	*ifindex = if_nametoindex(ifname);
	if (!*ifindex) {
		err = link_create(nl, ifname);
		if (err)
			return mlsd_errf(e, "cannot create device %s (kind %s): %s%s",
					 ifname, LINK_KIND, strerror(-err),
					 err == -EOPNOTSUPP ?
					 " (is the mlsdco module loaded?)" : "");
		*ifindex = if_nametoindex(ifname);
		if (!*ifindex)
			return mlsd_errf(e, "device %s vanished after creation",
					 ifname);
	}
	for (size_t i = 0; i < n_addrs; i++) {
		err = addr_add(nl, *ifindex, &addrs[i]);
		if (err) {
			mlsd_prefix_format(&addrs[i], buf, sizeof(buf));
			return mlsd_errf(e, "cannot add address %s to %s: %s",
					 buf, ifname, strerror(-err));
		}
	}
	err = link_up(nl, *ifindex);
	if (err)
		return mlsd_errf(e, "cannot bring %s up: %s", ifname,
				 strerror(-err));
	return 0;
}

int mlsd_link_setup(const char *ifname, const struct mlsd_prefix *addrs,
		    size_t n_addrs, uint32_t *ifindex, struct mlsd_err *e)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	int err;

	if (!nl)
		return mlsd_errf(e, "rtnetlink: %s", strerror(errno));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = errno;
		mnl_socket_close(nl);
		return mlsd_errf(e, "rtnetlink: %s", strerror(err));
	}
	err = setup(nl, ifname, addrs, n_addrs, ifindex, e);
	mnl_socket_close(nl);
	return err;
}
