/* tlsbroker.h: the request a smtppool worker makes to the TLS broker
 * (poolbroker.h) when a client says STARTTLS, both sides (smtppool(8),
 * "STARTTLS"). The two share a SOCK_SEQPACKET socketpair that smtppool
 * made before it dropped root: the broker holds one end, the master and
 * every worker the other. A request is one message of exactly one byte,
 * TLSBROKER_REQUEST, carrying exactly two descriptors in one SCM_RIGHTS
 * message: the client's connection, then the engine's end of a stream
 * socketpair the worker made (the control channel). Nothing comes back
 * on the shared socket (so that no answer can reach the wrong worker):
 * the broker runs "tlsd -s" with the connection on its fds 6 and 7 and
 * the channel on 0 and 1, and tlsd answers on the channel itself: one
 * byte TLSCTL_READY when it holds the key and waits for the ClientHello,
 * or an 'N' outcome record (tlsctl.h) when it cannot serve; after the
 * handshake, the outcome record, then plaintext. The broker closes what
 * it got, so an end of file on the channel before READY means it could
 * not (or would not) start an engine. */
#ifndef CAIRN_TLSBROKER_H
#define CAIRN_TLSBROKER_H

#define TLSBROKER_REQUEST 'S'

/* Worker side: asks for an engine on conn and waits at most timeoutms
 * milliseconds for it to be ready. Returns the worker's end of the
 * channel (close-on-exec), on which tlsd then writes the outcome record
 * after the handshake and carries the plaintext; or -1 with errno set:
 * EPIPE or ECONNREFUSED (the broker is gone), EAGAIN (its queue is full),
 * ETIMEDOUT, EPROTO (tlsd answered 'N' or something else: it logged
 * why), ECONNRESET (the channel closed before READY). conn stays open:
 * the caller closes its copies once it has answered the client. */
int tlsbroker_ask(int sock, int conn, int timeoutms) ;

/* Broker side: receives one request from sock (blocking). 1 with the
 * connection in fd[0] and the channel in fd[1], both close-on-exec and
 * both sockets; 0 at end of file (no worker nor master holds the other
 * end any more); -1 with errno set on a read error, or EPROTO for a
 * message that is not exactly a request (wrong length or byte, no,
 * fewer or more descriptors, a descriptor that is not a socket,
 * truncated control data), every descriptor it carried closed. */
int tlsbroker_recv(int sock, int fd[2]) ;

#endif
