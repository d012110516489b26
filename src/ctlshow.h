/* ctlshow.h: showctl's work. Every control file cairn reads (the table in
 * ctlshow.c), read relative to the current directory (conf-home) with the
 * parsers the programs use (control.c, rewrite.c, assign.c, smtpconf.c),
 * printed with its value or default and what it means, as qmail-showctl
 * does; and every file that cannot be parsed reported with its file and
 * line, so that an administrator learns of a mistake before a program
 * defers on it. */
#ifndef CAIRN_CTLSHOW_H
#define CAIRN_CTLSHOW_H

#include <skalibs/buffer.h>

struct ctlshow {
  buffer *out ;            /* the listing; 0: problems only */
  unsigned int problems ;  /* files or lines that cannot be parsed, or missing when needed */
  unsigned int readerrors ; /* files that exist but cannot be read (temporary) */
} ;

/* Lists and checks everything. Problems are reported on stderr, one line
 * each ("showctl: warning: control/virtualdomains:3: line without ':'"),
 * and counted in c. 1, or 0 when writing the listing fails (errno set). */
int ctlshow_run(struct ctlshow *c) ;

#endif
