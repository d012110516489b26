/* auto.h: build-time constants from the conf-* files (generated auto.c).
 * A setuid program takes its home and users from here, never from its
 * environment. */
#ifndef CAIRN_AUTO_H
#define CAIRN_AUTO_H

enum auto_user_index {
  AUTO_ALIAS = 0, AUTO_QMAILD, AUTO_QMAILL, AUTO_QMAILP,
  AUTO_QMAILQ, AUTO_QMAILR, AUTO_QMAILS, AUTO_QMAILT, AUTO_NUSERS
} ;
enum auto_group_index { AUTO_GQMAIL = 0, AUTO_GNOFILES, AUTO_NGROUPS } ;

extern char const auto_home[] ;
extern unsigned int const auto_split ;
extern char const *const auto_user[AUTO_NUSERS] ;
extern char const *const auto_group[AUTO_NGROUPS] ;
extern int const auto_singleuser ;

#endif
