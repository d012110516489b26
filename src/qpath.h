/* qpath.h: names of queue files. A message is named by the inode number of
 * its mess file; mess/, info/, local/ and remote/ are split into auto_split
 * subdirectories by id % split, while pid/, intd/, todo/ and bounce/ are
 * flat, exactly as qmail 1.03 lays out its queue. */
#ifndef CAIRN_QPATH_H
#define CAIRN_QPATH_H

#include <stddef.h>

/* "remote/" + 4 split digits + "/" + 20 id digits + NUL, rounded up */
#define QPATH_MAX 48

/* Subdirectory number of message id for a queue split into split dirs. */
unsigned long qpath_bucket(unsigned long id, unsigned int split) ;

/* Writes dir + [bucket "/"] + id + NUL into s (QPATH_MAX bytes), where dir
 * is one of "mess/", "info/", "local/", "remote/" (hashed) or "pid/",
 * "intd/", "todo/", "bounce/" (flat). Returns the length without the NUL. */
size_t qpath_fmt(char *s, char const *dir, unsigned long id, unsigned int split) ;

/* Writes dir + bucket + NUL ("info/7"): the subdirectory of a hashed dir. */
size_t qpath_dirfmt(char *s, char const *dir, unsigned int bucket) ;

/* 1 if dir is one of the hashed directories, 0 if flat. */
int qpath_hashed(char const *dir) ;

#endif
