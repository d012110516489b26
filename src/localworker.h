/* localworker.h: local as a delivery worker (local -W, local(8)). lspawn
 * starts it as one user, with the worker's end of a SOCK_SEQPACKET socket
 * on fd 0 and its log on fds 1 and 2. It says hello, then takes jobs
 * (localjob.h) one at a time: each is the arguments of a per-delivery
 * local with the message's descriptor; it makes the delivery with
 * localdeliver and answers with the exit code and the text a per-delivery
 * local would have ended with, including what its children (queue, for a
 * forward) wrote on its fds 1 and 2. It exits 0 at the end of the socket,
 * 111 on a malformed job or a failed read or write, with a message in the
 * log. */
#ifndef CAIRN_LOCALWORKER_H
#define CAIRN_LOCALWORKER_H

/* Serves the socket on fd 0; returns the exit code. */
int localworker_run(void) ;

#endif
