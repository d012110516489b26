/* homedefaults.h: the configuration a fresh home starts with (install -d,
 * run by "make setup"), as qmail's config-fast and INSTALL.alias make it.
 * Written only into a home that has none, so that an installation over
 * qmail changes nothing of the configuration it finds:
 *  - when control/me is missing: me (this host's canonical name), and
 *    each of locals, rcpthosts (both: me), defaultdomain and plusdomain
 *    (me without its first label) and tcp.smtp (relaying for 127.0.0.1)
 *    that is missing;
 *  - when none of ~alias/.qmail-postmaster, .qmail-root and
 *    .qmail-mailer-daemon exists: the three, each "./Maildir/", and
 *    ~alias/Maildir/, owned by the alias user.
 * Each file is written whole under a temporary name, then renamed. */
#ifndef CAIRN_HOMEDEFAULTS_H
#define CAIRN_HOMEDEFAULTS_H

#include "users.h"

/* say(what, path) is called for each file written. 1, or 0 with errno set
 * and *what naming the path that failed. */
int homedefaults_write(char const *home, struct users const *u, void (*say)(char const *, char const *), char const **what) ;

/* This host's fully-qualified name into buf (size n): the canonical name
 * of gethostname() as getaddrinfo finds it, else the host name itself.
 * 1, or 0 when there is none fit for control/me. */
int homedefaults_fqdn(char *buf, size_t n) ;

#endif
