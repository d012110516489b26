/* control.h: reading qmail-style control files (control/NAME, relative to
 * the current directory, normally conf-home). One value per line; trailing
 * white space is dropped; in lists, blank lines and lines starting with #
 * are skipped. A malformed file is reported with its name and line in
 * control_error, and the caller defers (111) rather than guess. */
#ifndef CAIRN_CONTROL_H
#define CAIRN_CONTROL_H

#include <skalibs/cdb.h>
#include <skalibs/genalloc.h>
#include <skalibs/stralloc.h>
#include "ctlcache.h"

/* Text of the last error: "control/databytes:1: not a number". */
extern stralloc control_error ;

/* First line of fn into sa (not NUL-terminated). 1 if the file exists,
 * 0 if it does not (sa untouched), -1 on a read error (errno set). */
int control_readline(stralloc *sa, char const *fn) ;

/* control_readline with a default: def when fn is missing or its line is
 * empty. 1, or -1 on a read error. */
int control_rldef(stralloc *sa, char const *fn, char const *def) ;

/* Every value line of fn into sa, each one NUL-terminated. 1, 0 if the
 * file does not exist (sa empty), -1 on error. */
int control_readfile(stralloc *sa, char const *fn) ;

/* control_readfile, and when lines is not null, for each value the number
 * of its line in fn (unsigned int), so that a caller that finds a value
 * malformed can name file and line. */
int control_readlist(stralloc *sa, genalloc *lines, char const *fn) ;

/* From this call on, every control_* read in this process, and
 * control_cdb, goes through cc (ctlcache.h): a long-lived process (a
 * smtppool worker) then opens only the files that changed. 0 (the
 * default): each read opens its file, as a program run per connection
 * does. */
void control_usecache(struct ctlcache *cc) ;

/* cdb_init for a table read with the control files (morercpthosts.cdb,
 * users/rcpt.cdb), through the cache when there is one. 1, or 0 with
 * errno (ENOENT: no such table). */
int control_cdb(cdb *c, char const *fn) ;

/* Releases what control_cdb gave: cdb_free, or nothing when the cache
 * holds the mapping (it unmaps it when the file changes). */
void control_cdbfree(cdb *c) ;

/* Sets control_error to "fn:line: what". */
void control_seterror(char const *fn, unsigned int line, char const *what) ;

/* A non-negative decimal number: def when fn is missing; -1 with
 * control_error set when it is not a number or over max. */
int control_readulong(unsigned long *u, char const *fn, unsigned long def, unsigned long max) ;

#endif
