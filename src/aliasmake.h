/* aliasmake.h: compiles an aliases(5) file into the cdb that aliases(8)
 * reads, for newaliases(8). One record per alias: the key is its name,
 * lowercased; the value its targets, each a kind byte (aliasfile.h), the
 * text and a NUL, with :include: files read in (at most
 * ALIASMAKE_DEPTH deep) and a target listed twice kept once.
 *
 * Writing, and what a crash at each step leaves:
 *  1 write CDB.tmp                  CDB.tmp, rewritten by the next run;
 *  2 fsync it                       the old CDB still in use
 *  3 rename it to CDB               the new CDB, whole
 *  4 fsync the directory            the new CDB, durably
 * A format error anywhere writes nothing. */
#ifndef CAIRN_ALIASMAKE_H
#define CAIRN_ALIASMAKE_H

#include <skalibs/stralloc.h>

#define ALIASMAKE_DEPTH 10                /* :include: within :include: */
#define ALIASMAKE_FILEMAX (64UL << 20)    /* bytes of an aliases or include file */
#define ALIASMAKE_VALUEMAX (16UL << 20)   /* bytes of one alias's compiled targets */

/* Compiles fn into cdbfn. warn gets each warning ("fn:line: ..."). Returns
 * 0, 100 (a format error: err says "fn:line: ..."), or 111 (a system
 * error: err names what failed, errno set). */
int aliasmake(char const *fn, char const *cdbfn, stralloc *err, void (*warn)(char const *)) ;

#endif
