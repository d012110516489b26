/* assign.h: the users/assign format (qmail-users(5), man/assign.5) and the
 * shape of its compiled form users/cdb. The shape is qmail-newu's, byte
 * for byte, so that cairn reads a users/cdb that qmail wrote and qmail
 * reads one that newu wrote:
 *
 *   users/assign line               users/cdb key        data
 *   =local:user:uid:gid:home:dash:ext:     "!" lc(local) NUL    user NUL uid NUL gid NUL home NUL dash NUL ext
 *   +prefix:user:uid:gid:home:dash:pre:    "!" lc(prefix)       user NUL uid NUL gid NUL home NUL dash NUL pre
 *   (once, after the last line)            ""                   the last character of every
 *                                                               non-empty prefix, each once
 *
 * lc() is ASCII lower case: addresses are matched without regard to case.
 * The "" record lets a reader skip the prefixes that no wildcard ends
 * with; it must be present (qmail-lspawn treats a cdb without it as
 * broken). The data has no NUL after the last field. */
#ifndef CAIRN_ASSIGN_H
#define CAIRN_ASSIGN_H

#include <stddef.h>
#include <sys/types.h>
#include <skalibs/cdbmake.h>

#define ASSIGN_LOCALMAX 1000   /* longest local part (or prefix) */
#define ASSIGN_LINEMAX 8192    /* longest line, without its newline */

/* One assignment. The pointers point into the parsed line or record. */
struct assign {
  char kind ;                  /* '=' exact, '+' wildcard */
  char const *local ; size_t locallen ;
  char const *user ; size_t userlen ;
  uid_t uid ;
  gid_t gid ;
  char const *home ; size_t homelen ;
  char const *dash ; size_t dashlen ;   /* "" or "-" */
  char const *ext ; size_t extlen ;     /* ext, or a wildcard's pre */
} ;

/* Parses one line of users/assign, without its newline. Returns 1, or 0
 * with *why saying what is wrong ("uid is not a number"). Stricter than
 * qmail-newu: a line must start with = or +, have exactly seven fields
 * each ended by a colon and nothing after, a user name, decimal uid and
 * gid, a home directory, and dash "" or "-". */
int assign_parse(struct assign *a, char const *s, size_t len, char const **why) ;

/* Compiles the whole text of users/assign into c (started by the caller
 * with cdbmake_start; the caller finishes it). The text ends with a line
 * holding a single dot; what follows is ignored. Returns 1; 0 when the
 * text is malformed, with *lineno (from 1) and *why set; -1 when writing
 * fails (errno set). After 0 or -1, c's memory is freed and the file is
 * for the caller to remove. */
int assign_compile(cdbmaker *c, char const *s, size_t len, size_t *lineno, char const **why) ;

/* Splits a users/cdb data record into a's user, uid, gid, home, dash and
 * ext (kind and local are left alone). Returns 1, or 0 when the record
 * does not have that shape or a number is not one. */
int assign_unpack(struct assign *a, char const *s, size_t len) ;

#endif
