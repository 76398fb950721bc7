/* test-ssh-config.c — Host entries of an OpenSSH client configuration,
 * listed and resolved by libssh's own parser, ProxyJump included.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "burrow-core.h"
#include "burrow-test-env.h"

static const char sample[] =
  "# A typical analyst's ~/.ssh/config\n"
  "Host bastion prod-bastion\n"
  "    HostName bastion.example.com\n"
  "    User analyst\n"
  "    Port 2222\n"
  "    IdentityFile ~/.ssh/id_bastion\n"
  "\n"
  "Host jump1\n"
  "    HostName jump1.example.com\n"
  "    User hopper\n"
  "    Port 2200\n"
  "\n"
  "Host db-via-jump\n"
  "    HostName 10.0.5.10\n"
  "    User burrow\n"
  "    IdentityFile %d/id_dwh\n"
  "    ProxyJump jump1,ops@jump2.example.com:2022\n"
  "\n"
  "Host plain\n"
  "    HostName plain.example.com\n"
  "\n"
  "Host proxied\n"
  "    HostName proxied.internal\n"
  "    ProxyCommand nc -X connect -x proxy.example.com:8080 %h %p\n"
  "\n"
  "Host *.corp !secret.corp web?\n"
  "    User corpuser\n"
  "\n"
  "Host *\n"
  "    User defaultuser\n"
  "    ServerAliveInterval 30\n";

static char *
write_sample (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_home_dir (), "sample_ssh_config", NULL);

  g_file_set_contents (path, sample, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_list_hosts (void)
{
  g_autofree char *path = write_sample ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) hosts = burrow_ssh_config_list_hosts (path, &error);
  const char *expected[] = { "bastion", "prod-bastion", "jump1", "db-via-jump", "plain", "proxied", NULL };

  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *)hosts, expected));
}

static void
test_resolve (void)
{
  g_autofree char *path = write_sample ();
  g_autofree char *home_key = g_build_filename (g_get_home_dir (), ".ssh", "id_bastion", NULL);
  g_autofree char *dir_key = g_build_filename (g_get_home_dir (), ".ssh", "id_dwh", NULL);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(BurrowSshConfigHost) host = burrow_ssh_config_resolve (path, "prod-bastion", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (host->alias, ==, "prod-bastion");
    g_assert_cmpstr (host->host_name, ==, "bastion.example.com");
    g_assert_cmpstr (host->user, ==, "analyst");
    g_assert_cmpuint (host->port, ==, 2222);
    g_assert_cmpstr (host->identity_file, ==, home_key);
    g_assert_null (host->jump_hosts);
    g_assert_null (host->proxy_command);
  }

  /* ProxyJump, which libssh 0.10 turns into an ssh command, comes back as
   * jump hosts; a hop that is an alias is resolved as OpenSSH does. */
  {
    g_autoptr(BurrowSshConfigHost) host = burrow_ssh_config_resolve (path, "db-via-jump", &error);
    const char *hops[] = { "hopper@jump1.example.com:2200", "ops@jump2.example.com:2022", NULL };

    g_assert_no_error (error);
    g_assert_cmpstr (host->host_name, ==, "10.0.5.10");
    g_assert_cmpstr (host->user, ==, "burrow");
    g_assert_cmpuint (host->port, ==, 22);
    g_assert_cmpstr (host->identity_file, ==, dir_key);
    g_assert_nonnull (host->jump_hosts);
    g_assert_true (g_strv_equal ((const char * const *)host->jump_hosts, hops));
    g_assert_null (host->proxy_command);
  }

  /* Defaults from "Host *", and no identity file when none is named. */
  {
    g_autoptr(BurrowSshConfigHost) host = burrow_ssh_config_resolve (path, "plain", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (host->host_name, ==, "plain.example.com");
    g_assert_cmpstr (host->user, ==, "defaultuser");
    g_assert_cmpuint (host->port, ==, 22);
    g_assert_null (host->identity_file);
  }

  /* A ProxyCommand of the user's own is reported, not run. */
  {
    g_autoptr(BurrowSshConfigHost) host = burrow_ssh_config_resolve (path, "proxied", &error);

    g_assert_no_error (error);
    g_assert_null (host->jump_hosts);
    g_assert_nonnull (host->proxy_command);
    g_assert_true (g_str_has_prefix (host->proxy_command, "nc -X connect"));
  }
}

static void
test_errors (void)
{
  g_autofree char *path = write_sample ();
  g_autofree char *missing = g_build_filename (g_get_home_dir (), "no_such_config", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BurrowSshConfigHost) host = NULL;
  g_auto(GStrv) hosts = NULL;

  host = burrow_ssh_config_resolve (path, "nowhere", &error);
  g_assert_null (host);
  g_assert_error (error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_UNKNOWN_HOST);
  g_clear_error (&error);

  /* A pattern is not a host. */
  host = burrow_ssh_config_resolve (path, "*.corp", &error);
  g_assert_null (host);
  g_assert_error (error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_UNKNOWN_HOST);
  g_clear_error (&error);

  hosts = burrow_ssh_config_list_hosts (missing, &error);
  g_assert_null (hosts);
  g_assert_error (error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_NOT_FOUND);
  g_clear_error (&error);

  host = burrow_ssh_config_resolve (missing, "bastion", &error);
  g_assert_null (host);
  g_assert_error (error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_NOT_FOUND);
}

static void
test_apply_to_profile (void)
{
  g_autofree char *path = write_sample ();
  g_autoptr(BurrowSshConfigHost) host = burrow_ssh_config_resolve (path, "db-via-jump", NULL);
  g_autoptr(BurrowProfile) profile = burrow_profile_new ();

  burrow_profile_set_name (profile, "DWH");
  burrow_profile_set_db_host (profile, "dwh.internal");
  burrow_profile_set_tunnel_enabled (profile, FALSE);

  burrow_ssh_config_host_apply (host, profile);
  g_assert_true (burrow_profile_get_tunnel_enabled (profile));
  g_assert_cmpstr (burrow_profile_get_ssh_host (profile), ==, "10.0.5.10");
  g_assert_cmpstr (burrow_profile_get_ssh_user (profile), ==, "burrow");
  g_assert_cmpuint (burrow_profile_get_ssh_port (profile), ==, 22);
  g_assert_cmpint (burrow_profile_get_ssh_auth (profile), ==, BURROW_PROFILE_AUTH_KEY_FILE);
  g_assert_true (g_str_has_suffix (burrow_profile_get_ssh_key_file (profile), "/.ssh/id_dwh"));
  g_assert_cmpuint (g_strv_length ((GStrv)burrow_profile_get_jump_hosts (profile)), ==, 2);
  /* The database part is untouched, and the result is a valid profile. */
  g_assert_cmpstr (burrow_profile_get_db_host (profile), ==, "dwh.internal");
  g_assert_true (burrow_profile_validate (profile, NULL));
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* Hosts in files that Include names — relative to ~/.ssh, with ~, globs
 * and one level of nesting — are listed and resolved like the others. */
static void
test_include (void)
{
  g_autofree char *ssh_dir = g_build_filename (g_get_home_dir (), ".ssh", NULL);
  g_autofree char *path = g_build_filename (ssh_dir, "config-with-includes", NULL);
  g_autofree char *work = g_build_filename (ssh_dir, "conf.d", "work.conf", NULL);
  g_autofree char *lab = g_build_filename (ssh_dir, "conf.d", "lab.conf", NULL);
  g_autofree char *nested = g_build_filename (ssh_dir, "nested.conf", NULL);
  g_autofree char *loop = g_build_filename (ssh_dir, "loop.conf", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) hosts = NULL;
  const char *expected[] = { "top", "lab-bastion", "deep", "work-bastion", NULL };

  write_file (path,
              "Host top\n"
              "    HostName top.example.com\n"
              "\n"
              "Include conf.d/*.conf ~/.ssh/missing-*.conf # none is fine\n");
  write_file (work,
              "Host work-bastion\n"
              "    HostName bastion.work.example.com\n"
              "    User worker\n"
              "    Port 2202\n"
              "    ProxyJump deep\n");
  write_file (lab,
              "Host lab-bastion\n"
              "    HostName lab.example.com\n"
              "include ~/.ssh/nested.conf\n");
  write_file (nested,
              "Host deep\n"
              "    HostName deep.example.com\n"
              "    User diver\n");

  hosts = burrow_ssh_config_list_hosts (path, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *)hosts, expected));

  {
    g_autoptr(BurrowSshConfigHost) host = burrow_ssh_config_resolve (path, "work-bastion", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (host->host_name, ==, "bastion.work.example.com");
    g_assert_cmpstr (host->user, ==, "worker");
    g_assert_cmpuint (host->port, ==, 2202);
    g_assert_nonnull (host->jump_hosts);
    g_assert_cmpstr (host->jump_hosts[0], ==, "diver@deep.example.com:22");
    g_assert_null (host->jump_hosts[1]);
  }

  {
    g_autoptr(BurrowSshConfigHost) host = burrow_ssh_config_resolve (path, "deep", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (host->host_name, ==, "deep.example.com");
  }

  /* A file that includes itself is an error, not a hang. */
  write_file (loop, "Host looping\n    HostName loop.example.com\nInclude loop.conf\n");
  g_clear_pointer (&hosts, g_strfreev);
  hosts = burrow_ssh_config_list_hosts (loop, &error);
  g_assert_null (hosts);
  g_assert_error (error, BURROW_SSH_CONFIG_ERROR, BURROW_SSH_CONFIG_ERROR_PARSE);
}

/* A hop written as a bracketed IPv6 address keeps the port written after
 * it; one without a port takes the port its config names. */
static void
test_ipv6_jump_host (void)
{
  g_autofree char *path = g_build_filename (g_get_home_dir (), ".ssh", "config-ipv6", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BurrowSshConfigHost) host = NULL;
  const char *hops[] = { "ops@[fe80::1]:2200", "ops@[fe80::2]:2222", "[fe80::3]:2022", NULL };

  write_file (path,
              "Host v6-db\n"
              "    HostName db.internal\n"
              "    ProxyJump ops@[fe80::1]:2200,ops@[fe80::2]:2222,fe80::3\n"
              "\n"
              "Host *\n"
              "    Port 2022\n");

  host = burrow_ssh_config_resolve (path, "v6-db", &error);
  g_assert_no_error (error);
  g_assert_nonnull (host->jump_hosts);
  g_assert_true (g_strv_equal ((const char * const *)host->jump_hosts, hops));
}

int
main (int    argc,
      char **argv)
{
  burrow_test_init (&argc, &argv);

  g_test_add_func ("/burrow/ssh-config/list-hosts", test_list_hosts);
  g_test_add_func ("/burrow/ssh-config/resolve", test_resolve);
  g_test_add_func ("/burrow/ssh-config/errors", test_errors);
  g_test_add_func ("/burrow/ssh-config/apply-to-profile", test_apply_to_profile);
  g_test_add_func ("/burrow/ssh-config/include", test_include);
  g_test_add_func ("/burrow/ssh-config/ipv6-jump-host", test_ipv6_jump_host);

  return g_test_run ();
}
