/* tlsspawn.h: a program's side of tlsd's client mode (tlsd(8)), for
 * remote: runs "tlsd -c" on a connection that is ready for the handshake
 * (SMTP: after the 220 to STARTTLS), then reads the outcome record on the
 * control channel, which afterwards carries the session's plaintext both
 * ways. The program never links BearSSL nor parses TLS. */
#ifndef CAIRN_TLSSPAWN_H
#define CAIRN_TLSSPAWN_H

#include <sys/types.h>
#include <skalibs/stralloc.h>

struct tlsspawn {
  pid_t pid ;
  int fd ;          /* the control channel: read and write plaintext here */
  stralloc rec ;    /* the outcome record, after tlsspawn_outcome */
} ;
#define TLSSPAWN_ZERO { 0, -1, STRALLOC_ZERO }

/* Runs prog (normally conf-home/bin/tlsd) as "prog -c [-n servername]
 * [-a cafile] [-t timeout]" with conn on its fds 6 and 7 and the other
 * end of the channel on 0 and 1; its fd 2 is ours, or /dev/null when
 * quiet (remote's fd 2 is its report to rspawn: tlsd's warnings must not
 * land in it; the outcome record says why anyway). servername and cafile
 * may be 0 (cafile 0: any certificate is taken); timeout 0: tlsd's
 * default. The caller closes conn afterwards: from then on only tlsd
 * holds the connection (conn should be close-on-exec, so that no other
 * child of the caller holds it either: the peer would not see the end).
 * 1, or 0 with errno set. */
int tlsspawn_start(struct tlsspawn *, char const *prog, int conn, char const *servername, char const *cafile, unsigned int timeout, int quiet) ;

/* Waits at most timeoutms (negative: no limit) for the outcome. 1: TLS is
 * on (tlsspawn_get gives TLS_PROTOCOL, TLS_CIPHER, TLS_PEER_VERIFIED...);
 * 0: the handshake failed (TLS_ERROR, when tlsd said why; tlsd logged it);
 * -1: timeout (ETIMEDOUT) or a broken channel. */
int tlsspawn_outcome(struct tlsspawn *, int timeoutms) ;

/* A field of the outcome record, or 0. */
char const *tlsspawn_get(struct tlsspawn const *, char const *name) ;

/* Closes the channel (tlsd then sends close_notify), frees the outcome
 * record (tlsspawn_get answers nothing after this), waits for tlsd and
 * returns its exit code (0 clean, 111 a TLS failure, 100 usage; 126 if it
 * died by a signal). */
int tlsspawn_end(struct tlsspawn *) ;

#endif
