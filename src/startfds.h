/* startfds.h: the descriptors start hands to send (start(8)). The spawners
 * and clean get their requests on fd 0 and answer on fd 1. */
#ifndef CAIRN_STARTFDS_H
#define CAIRN_STARTFDS_H

#define FD_LSPAWN_REQ 3   /* send writes local delivery requests */
#define FD_LSPAWN_RES 4   /* send reads their results */
#define FD_RSPAWN_REQ 5   /* remote; closed when there is no rspawn */
#define FD_RSPAWN_RES 6
#define FD_CLEAN_REQ 7    /* send writes clean requests */
#define FD_CLEAN_RES 8    /* and reads clean's one-byte answers */

#endif
