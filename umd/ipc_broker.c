/* SPDX-License-Identifier: MIT */
/*
 * ipc_broker.c - the exporter's side of IPC handles (memory and events) and
 * the importer's request to it.
 *
 * An IPC handle names an export, not an fd: the exporter's pid, a random
 * 64-bit id of the exporter's broker, and a random 128-bit secret made for
 * that one export. The broker is a thread of the exporting process, started
 * by its first export, listening on the abstract unix socket
 * "musa-ipc.<pid>.<broker id>" (SOCK_SEQPACKET). An importer connects,
 * checks that the socket belongs to its own user (SO_PEERCRED), sends the
 * secret and the kind of object it expects, and gets back the exported file
 * through SCM_RIGHTS together with the offset and size the exporter
 * recorded, or a refusal. The broker answers only peers of its own user and
 * only secrets of live exports: an export is revoked when its allocation is
 * freed or its event destroyed (the broker closes its copy of the fd), so a
 * stale handle is refused even when fd numbers, addresses or pids are
 * reused. Nobody reads the exporter's /proc/<pid>/fd.
 *
 * In the exporting process itself the table is consulted directly. A child
 * forked after an export has no broker thread: the atfork handler drops the
 * inherited socket and table.
 * May call: libc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "umd.h"

#define BROKER_REQ_MAGIC 0x5152504dU  /* "MPRQ" */
#define BROKER_IO_TIMEOUT_S 10

struct broker_export {
	const void *key;                 /* the exporter's object */
	uint32_t kind;
	int fd;                          /* the broker's own open file */
	uint64_t offset, size;
	uint8_t secret[UMD_IPC_SECRET_LEN];
};

struct broker_req {
	uint32_t magic;
	uint32_t kind;
	uint8_t secret[UMD_IPC_SECRET_LEN];
};

struct broker_reply {
	int32_t status;                  /* 0 or a positive errno */
	uint32_t kind;
	uint64_t offset;
	uint64_t size;
};

static pthread_mutex_t broker_lock = PTHREAD_MUTEX_INITIALIZER;
static struct broker_export *broker_tab;
static size_t broker_n, broker_cap;
static int broker_sock = -1;
static uint64_t broker_id;          /* 0: no broker in this process */
static pthread_once_t broker_fork_once = PTHREAD_ONCE_INIT;

/* The child of a fork has no broker thread; it starts afresh. */
static void broker_atfork_child(void)
{
	pthread_mutex_init(&broker_lock, NULL);
	if (broker_sock >= 0)
		close(broker_sock);
	broker_sock = -1;
	broker_id = 0;
	for (size_t i = 0; i < broker_n; i++)
		close(broker_tab[i].fd);
	broker_n = 0;
}

static void broker_fork_hook(void)
{
	pthread_atfork(NULL, NULL, broker_atfork_child);
}

static int broker_random(void *p, size_t n)
{
	return getrandom(p, n, 0) == (ssize_t)n ? 0 : -EIO;
}

static socklen_t broker_addr(struct sockaddr_un *sa, int32_t pid, uint64_t id)
{
	int n;

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	/* sun_path[0] = 0: an abstract name, gone when the process is. */
	n = snprintf(sa->sun_path + 1, sizeof(sa->sun_path) - 1, "musa-ipc.%d.%016llx",
		     (int)pid, (unsigned long long)id);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

/* Secrets compared without an early exit. */
static int secret_eq(const uint8_t *a, const uint8_t *b)
{
	uint8_t d = 0;

	for (size_t i = 0; i < UMD_IPC_SECRET_LEN; i++)
		d |= (uint8_t)(a[i] ^ b[i]);
	return d == 0;
}

/* A new open file of the live export (kind, secret), or -ENOENT. Lock held. */
static int broker_find_locked(uint32_t kind, const uint8_t *secret, uint64_t *offset,
			      uint64_t *size)
{
	for (size_t i = 0; i < broker_n; i++) {
		struct broker_export *e = &broker_tab[i];
		int fd;

		if (e->kind != kind || !secret_eq(e->secret, secret))
			continue;
		fd = fcntl(e->fd, F_DUPFD_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		*offset = e->offset;
		*size = e->size;
		return fd;
	}
	return -ENOENT;
}

static void broker_set_timeout(int s)
{
	struct timeval tv = { .tv_sec = BROKER_IO_TIMEOUT_S };

	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* Answers one connection: a peer of another user gets nothing at all. */
static void broker_serve(int c)
{
	struct broker_req req;
	struct broker_reply rep = { .status = ENOENT };
	struct ucred cred;
	socklen_t len = sizeof(cred);
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec iov = { .iov_base = &rep, .iov_len = sizeof(rep) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	int fd = -1;

	if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &len) || cred.uid != geteuid())
		return;
	broker_set_timeout(c);
	if (recv(c, &req, sizeof(req), 0) != (ssize_t)sizeof(req) ||
	    req.magic != BROKER_REQ_MAGIC)
		return;
	pthread_mutex_lock(&broker_lock);
	fd = broker_find_locked(req.kind, req.secret, &rep.offset, &rep.size);
	pthread_mutex_unlock(&broker_lock);
	rep.kind = req.kind;
	explicit_bzero(&req, sizeof(req));
	if (fd >= 0) {
		rep.status = 0;
		memset(&cm, 0, sizeof(cm));
		msg.msg_control = cm.buf;
		msg.msg_controllen = sizeof(cm.buf);
		cm.h.cmsg_level = SOL_SOCKET;
		cm.h.cmsg_type = SCM_RIGHTS;
		cm.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&cm.h), &fd, sizeof(int));
	} else {
		rep.status = -fd;
	}
	(void)sendmsg(c, &msg, MSG_NOSIGNAL);
	if (fd >= 0)
		close(fd);
}

static void *broker_main(void *arg)
{
	int s = (int)(intptr_t)arg;

	for (;;) {
		int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);

		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE ||
			    errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
				continue;
			umd_log("ipc broker: accept: %s; exports of this process are unreachable",
				strerror(errno));
			return NULL;
		}
		broker_serve(c);
		close(c);
	}
}

/* Starts the broker once. Lock held. */
static int broker_start_locked(void)
{
	struct sockaddr_un sa;
	pthread_attr_t attr;
	sigset_t all, old;
	pthread_t t;
	int s, ret;

	if (broker_id)
		return 0;
	pthread_once(&broker_fork_once, broker_fork_hook);
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	for (int tries = 0;; tries++) {
		uint64_t id = 0;

		while (!id)
			if (broker_random(&id, sizeof(id)))
				goto err_io;
		if (!bind(s, (struct sockaddr *)&sa, broker_addr(&sa, (int32_t)getpid(), id))) {
			broker_id = id;
			break;
		}
		if (errno != EADDRINUSE || tries == 8) {
			ret = -errno;
			goto err;
		}
	}
	if (listen(s, 64)) {
		ret = -errno;
		goto err;
	}
	/* The thread takes no signals: they stay with the application's threads. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	ret = -pthread_create(&t, &attr, broker_main, (void *)(intptr_t)s);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		goto err;
	broker_sock = s;
	return 0;

err_io:
	ret = -EIO;
err:
	broker_id = 0;
	close(s);
	return ret;
}

int umd_broker_export(const void *key, uint32_t kind, int fd, uint64_t offset, uint64_t size,
		      struct umd_ipc_wire *w)
{
	struct broker_export *e = NULL;
	int ret = 0;

	pthread_mutex_lock(&broker_lock);
	for (size_t i = 0; i < broker_n; i++)
		if (broker_tab[i].key == key && broker_tab[i].kind == kind)
			e = &broker_tab[i];
	if (!e) {
		ret = broker_start_locked();
		if (ret)
			goto out;
		if (broker_n == broker_cap) {
			size_t cap = broker_cap ? 2 * broker_cap : 16;
			struct broker_export *t = realloc(broker_tab, cap * sizeof(*t));

			if (!t) {
				ret = -ENOMEM;
				goto out;
			}
			broker_tab = t;
			broker_cap = cap;
		}
		e = &broker_tab[broker_n];
		e->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
		if (e->fd < 0) {
			ret = -errno;
			goto out;
		}
		if (broker_random(e->secret, sizeof(e->secret))) {
			close(e->fd);
			ret = -EIO;
			goto out;
		}
		e->key = key;
		e->kind = kind;
		e->offset = offset;
		e->size = size;
		broker_n++;
	}
	memset(w, 0, sizeof(*w));
	w->magic = kind;
	w->version = UMD_IPC_WIRE_VERSION;
	w->pid = (int32_t)getpid();
	w->broker = broker_id;
	memcpy(w->secret, e->secret, sizeof(w->secret));
out:
	pthread_mutex_unlock(&broker_lock);
	return ret;
}

void umd_broker_revoke(const void *key, uint32_t kind)
{
	pthread_mutex_lock(&broker_lock);
	for (size_t i = 0; i < broker_n; i++) {
		struct broker_export *e = &broker_tab[i];

		if (e->key != key || e->kind != kind)
			continue;
		close(e->fd);
		explicit_bzero(e->secret, sizeof(e->secret));
		*e = broker_tab[--broker_n];
		break;
	}
	pthread_mutex_unlock(&broker_lock);
}

int umd_ipc_wire_check(const void *reserved, size_t len, uint32_t kind,
		       struct umd_ipc_wire *w)
{
	const unsigned char *tail = (const unsigned char *)reserved + sizeof(*w);

	memcpy(w, reserved, sizeof(*w));
	if (w->magic != kind || w->version != UMD_IPC_WIRE_VERSION || w->pid <= 0 ||
	    w->pad || !w->broker)
		return -EINVAL;
	for (size_t i = 0; i < len - sizeof(*w); i++)
		if (tail[i])
			return -EINVAL;
	return 0;
}

/* The exporter's answer over its socket. */
static int broker_ask(const struct umd_ipc_wire *w, uint64_t *offset, uint64_t *size)
{
	struct broker_req req = { .magic = BROKER_REQ_MAGIC, .kind = w->magic };
	struct broker_reply rep;
	struct sockaddr_un sa;
	struct ucred cred;
	socklen_t len = sizeof(cred), alen = broker_addr(&sa, w->pid, w->broker);
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec iov = { .iov_base = &rep, .iov_len = sizeof(rep) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cm.buf, .msg_controllen = sizeof(cm.buf),
	};
	struct cmsghdr *h;
	ssize_t n;
	int s, fd = -1, ret;

	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	broker_set_timeout(s);
	if (connect(s, (struct sockaddr *)&sa, alen)) {
		ret = -ENOENT;  /* the exporter (or its broker) is gone */
		goto out;
	}
	/* Whoever holds the name now must be of this user. */
	if (getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &len) || cred.uid != geteuid()) {
		ret = -ENOENT;
		goto out;
	}
	memcpy(req.secret, w->secret, sizeof(req.secret));
	n = send(s, &req, sizeof(req), MSG_NOSIGNAL);
	explicit_bzero(&req, sizeof(req));
	if (n != (ssize_t)sizeof(req)) {
		ret = -ENOENT;
		goto out;
	}
	memset(&cm, 0, sizeof(cm));
	n = recvmsg(s, &msg, MSG_CMSG_CLOEXEC);
	for (h = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL; h; h = CMSG_NXTHDR(&msg, h)) {
		if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS &&
		    h->cmsg_len == CMSG_LEN(sizeof(int)) && fd < 0)
			memcpy(&fd, CMSG_DATA(h), sizeof(int));
	}
	if (n != (ssize_t)sizeof(rep) || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
	    rep.status || rep.kind != w->magic || fd < 0) {
		ret = n == (ssize_t)sizeof(rep) && rep.status && rep.status != ENOENT ?
			-rep.status : -ENOENT;
		goto out;
	}
	*offset = rep.offset;
	*size = rep.size;
	ret = fd;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	close(s);
	return ret;
}

int umd_broker_fetch(const struct umd_ipc_wire *w, uint64_t *offset, uint64_t *size)
{
	int fd;

	if (w->pid == (int32_t)getpid()) {
		pthread_mutex_lock(&broker_lock);
		fd = w->broker == broker_id ?
			broker_find_locked(w->magic, w->secret, offset, size) : -ENOENT;
		pthread_mutex_unlock(&broker_lock);
		return fd;
	}
	return broker_ask(w, offset, size);
}
