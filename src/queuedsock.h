/* queuedsock.h: queued's listening socket. */
#ifndef CAIRN_QUEUEDSOCK_H
#define CAIRN_QUEUEDSOCK_H

#define QUEUEDSOCK_PATH "queued/socket"   /* under conf-home */
#define QUEUEDSOCK_BACKLOG 64

/* Binds a non-blocking unix stream socket to path.tmp.PID (mode 0666:
 * every local user may queue mail, as with the setuid queue), listens,
 * and renames it over path, so that a new queued replaces the name of
 * a stale or draining one in one step and a client never finds no name.
 * Returns the descriptor, or -1 with errno set. */
int queuedsock_listen(char const *path) ;

#endif
