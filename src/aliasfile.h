/* aliasfile.h: the sendmail aliases(5) format, as newaliases reads it.
 *
 * An entry is "name: target, target, ..." on one line, continued on the
 * following lines that start with a space or a tab. Lines starting with #
 * and empty lines are comments. The name (quoted with "..." when it holds
 * spaces) is matched without regard to case; with an @ it matches that
 * address only, without one the name at every local domain.
 *
 * Targets, separated by commas outside quotes and angle brackets:
 *   user, user@domain, <user@domain>, \user    an address (forwarded)
 *   |command                                   a program (sh -c command)
 *   /path, ./path                              a file (mbox append)
 *   :include:/path                             the targets listed in /path
 *   error:text                                 not supported: the alias
 *                                              bounces every message
 * A whole target in double quotes ("|prog a, b") is unquoted first, so
 * that a command or path may hold commas and spaces; quoted parts of an
 * address ("john doe"@example.org) are unquoted in the envelope. */
#ifndef CAIRN_ALIASFILE_H
#define CAIRN_ALIASFILE_H

#include <stddef.h>
#include <skalibs/stralloc.h>

#define ALIASFILE_ADDRMAX 1000    /* bytes of one target */

/* Kinds of target, the first byte of each target in a compiled list. */
#define ALIAS_ADDRESS 'A'
#define ALIAS_PROGRAM 'P'
#define ALIAS_FILE 'F'
#define ALIAS_INCLUDE 'I'
#define ALIAS_ERROR 'E'

/* The next entry of text (len bytes) from *pos on: *start and *elen its
 * bytes (continuation lines included, with their newlines), *eline the
 * number of its first line; *line counts lines read. Returns 1 with an
 * entry, 0 at the end, -1 when a line starting with white space follows a
 * comment or the start of the file (err: "fn:line: ..."). */
int aliasfile_next(char const *text, size_t len, size_t *pos, unsigned int *line,
  size_t *start, size_t *elen, unsigned int *eline, char const *fn, stralloc *err) ;

/* Parses one entry (s, len, starting at line): its name, lowercased, into
 * name (NUL-terminated); each target appended to out as its kind byte,
 * its text and a NUL. 1, 0 on a syntax error (err set, "fn:line: ..."),
 * -1 out of memory. */
int aliasfile_entry(char const *s, size_t len, char const *fn, unsigned int line,
  stralloc *name, stralloc *out, stralloc *err) ;

/* The targets of a list (s, len, starting at line), as aliasfile_entry
 * gives them; newlines separate targets too. Same returns. */
int aliasfile_targets(char const *s, size_t len, char const *fn, unsigned int line,
  stralloc *out, stralloc *err) ;

#endif
