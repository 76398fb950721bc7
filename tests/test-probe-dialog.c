/* test-probe-dialog.c — the test dialog against real servers: a good
 * connection turns every step green and shows PostgreSQL's version; a
 * wrong password fails at the login with its hint; a new host key is
 * trusted from the dialog and the test goes on, jump host first; a
 * changed key is refused with nothing sent; Cancel stops the run; saving
 * tests first and offers "Save Anyway"; and Burrow's own key, refused,
 * leads to the guide and back.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "burrow-connection-page.h"
#include "burrow-copy-row.h"
#include "burrow-host-key-dialog.h"
#include "burrow-key-guide-window.h"
#include "burrow-probe-dialog.h"
#include "burrow-probe-step-row.h"
#include "burrow-test-dialogs.h"
#include "burrow-test-env.h"

static BurrowTestDatabase *postgres;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static gboolean
dialog_idle (gpointer data)
{
  BurrowProbeDialog *dialog = data;

  return burrow_probe_dialog_get_probe (dialog) != NULL && !burrow_probe_dialog_get_busy (dialog);
}

static void
wait_idle (BurrowProbeDialog *dialog)
{
  g_assert_true (burrow_test_wait_until (dialog_idle, dialog, BURROW_TEST_DIALOG_TIMEOUT_MS));
}

static BurrowProbeDialog *
open_dialog (BurrowEngine      *engine,
             BurrowCredentials *credentials)
{
  BurrowProbeDialog *dialog = burrow_probe_dialog_new (NULL, engine, credentials);

  gtk_window_present (GTK_WINDOW (dialog));
  burrow_probe_dialog_run (dialog);
  burrow_test_wait_until_drawn (GTK_WIDGET (dialog));

  return dialog;
}

static BurrowProbeStepRow *
step_row (BurrowProbeDialog *dialog,
          BurrowProbeStepId  id)
{
  GtkWidget *row = burrow_test_find_widget (GTK_WIDGET (dialog), BURROW_TYPE_PROBE_STEP_ROW, NULL);

  for (; row != NULL; row = gtk_widget_get_next_sibling (row))
    if (burrow_probe_step_get_id (burrow_probe_step_row_get_step (BURROW_PROBE_STEP_ROW (row))) == id)
      return BURROW_PROBE_STEP_ROW (row);

  g_assert_not_reached ();
}

/* Every step shows a check and the time it took, and the summary the
 * server's version. */
static void
assert_all_green (BurrowProbeDialog *dialog)
{
  BurrowProbe *probe = burrow_probe_dialog_get_probe (dialog);

  g_assert_true (burrow_test_shows (GTK_WIDGET (dialog), "The Connection Works"));
  g_assert_nonnull (burrow_probe_get_server_version (probe));
  g_assert_true (g_str_has_prefix (burrow_probe_get_server_version (probe), "PostgreSQL "));
  g_assert_true (burrow_test_shows (GTK_WIDGET (dialog), burrow_probe_get_server_version (probe)));

  for (guint i = 0; i < BURROW_PROBE_N_STEPS; i++)
    {
      BurrowProbeStepRow *row = step_row (dialog, i);
      BurrowProbeStep *step = burrow_probe_step_row_get_step (row);
      g_autofree char *took = burrow_probe_format_duration (burrow_probe_step_get_duration (step));
      GtkImage *icon = GTK_IMAGE (burrow_test_find_widget (GTK_WIDGET (row), GTK_TYPE_IMAGE, NULL));

      g_assert_cmpint (burrow_probe_step_get_state (step), ==, BURROW_PROBE_STEP_PASSED);
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (row)));
      g_assert_nonnull (took);
      g_assert_true (burrow_test_shows (GTK_WIDGET (row), took));
      g_assert_cmpstr (gtk_image_get_icon_name (icon), ==, "object-select-symbolic");
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (icon), "success"));
      g_assert_false (burrow_probe_step_row_get_expanded (row));
    }
}

/* What the dialog shows of a fingerprint: the part after "SHA256:". */
static const char *
shown_part (const char *fingerprint)
{
  g_assert_true (g_str_has_prefix (fingerprint, "SHA256:"));
  return fingerprint + strlen ("SHA256:");
}

static char *
read_known_hosts (BurrowEngine *engine)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (burrow_engine_get_known_hosts_file (engine), &contents, NULL, NULL))
    return g_strdup ("");

  return g_steal_pointer (&contents);
}

/* The key's base64 as known_hosts and authorized_keys write it. */
static char *
host_key_blob (BurrowTestSshd *sshd)
{
  g_autofree char *line = burrow_test_sshd_get_host_public_key (sshd);
  g_auto(GStrv) words = g_strsplit (g_strstrip (line), " ", -1);

  return g_strdup (words[1]);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void
test_passed (void)
{
  g_autoptr(BurrowEngine) engine = burrow_test_new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_start_sshd (engine, TRUE);
  g_autoptr(BurrowProfile) profile = burrow_test_make_profile ("Sales warehouse", sshd, postgres);
  g_autoptr(BurrowCredentials) credentials = burrow_test_make_credentials (profile, BURROW_TEST_DB_PASSWORD);
  BurrowProbeDialog *dialog = open_dialog (engine, credentials);
  g_autofree char *command = NULL;
  g_autofree char *diagnostics = NULL;

  wait_idle (dialog);
  assert_all_green (dialog);

  /* The same tunnel with OpenSSH, to try by hand. */
  command = burrow_probe_dup_ssh_command (burrow_probe_dialog_get_probe (dialog));
  g_assert_true (g_str_has_prefix (command, "ssh -N -L "));
  g_assert_true (burrow_test_shows (GTK_WIDGET (dialog), command));
  burrow_test_assert_accessible_name (burrow_test_find_widget (burrow_test_find_widget (GTK_WIDGET (dialog), BURROW_TYPE_COPY_ROW,
                                                                                       "The same tunnel with OpenSSH"),
                                                               GTK_TYPE_BUTTON, NULL),
                                      "Copy the OpenSSH command for the same tunnel");

  burrow_test_screenshot_styles (GTK_WIDGET (dialog), "probe-dialog-passed");

  /* Diagnostics: every step, and no password. */
  burrow_test_click (GTK_WIDGET (dialog), "C_opy");
  diagnostics = burrow_test_dup_clipboard (GTK_WIDGET (dialog));
  g_test_message ("%s", diagnostics);
  g_assert_nonnull (strstr (diagnostics, "✔ Log in to the database"));
  g_assert_nonnull (strstr (diagnostics, "ssh -N -L"));
  g_assert_null (strstr (diagnostics, BURROW_TEST_DB_PASSWORD));

  /* Cancel is for a run; once it ended, Test Again is there. */
  g_assert_false (gtk_widget_get_mapped (burrow_test_find_button (GTK_WIDGET (dialog), "_Cancel")));
  g_assert_true (gtk_widget_get_mapped (burrow_test_find_button (GTK_WIDGET (dialog), "Test _Again")));
  g_assert_false (gtk_widget_get_mapped (burrow_test_find_button (GTK_WIDGET (dialog), "Save _Anyway")));

  /* Test Again runs it again, from the start; asked again while it runs
   * (the guide's Test Again can), it starts over once. */
  burrow_test_click (GTK_WIDGET (dialog), "Test _Again");
  g_assert_true (burrow_probe_dialog_get_busy (dialog));
  burrow_probe_dialog_run (dialog);
  burrow_probe_dialog_run (dialog);
  wait_idle (dialog);
  assert_all_green (dialog);

  burrow_test_close_windows ();
}

static void
test_wrong_password (void)
{
  g_autoptr(BurrowEngine) engine = burrow_test_new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_start_sshd (engine, TRUE);
  g_autoptr(BurrowProfile) profile = burrow_test_make_profile ("Sales warehouse", sshd, postgres);
  g_autoptr(BurrowCredentials) credentials = burrow_test_make_credentials (profile, "not-the-password");
  BurrowProbeDialog *dialog = open_dialog (engine, credentials);
  BurrowProbeStepRow *login;
  BurrowProbeStep *step;
  g_autofree char *diagnostics = NULL;

  wait_idle (dialog);

  login = step_row (dialog, BURROW_PROBE_STEP_LOGIN);
  step = burrow_probe_step_row_get_step (login);
  g_assert_cmpint (burrow_probe_step_get_state (step), ==, BURROW_PROBE_STEP_FAILED);
  g_assert_nonnull (burrow_probe_step_get_hint (step));

  /* The failed step is open, with its cause and what to do. */
  g_assert_true (burrow_probe_step_row_get_expanded (login));
  burrow_test_iterate (400);
  g_assert_true (burrow_test_shows (GTK_WIDGET (login), burrow_probe_step_get_cause (step)));
  g_assert_true (burrow_test_shows (GTK_WIDGET (login), burrow_probe_step_get_hint (step)));
  g_assert_true (burrow_test_shows (GTK_WIDGET (dialog), "The Test Failed"));

  /* The steps before it passed, the one after did not run, and says so. */
  for (guint i = 0; i < BURROW_PROBE_STEP_LOGIN; i++)
    {
      BurrowProbeStepRow *row = step_row (dialog, i);

      g_assert_cmpint (burrow_probe_step_get_state (burrow_probe_step_row_get_step (row)), ==,
                       BURROW_PROBE_STEP_PASSED);
      g_assert_false (burrow_probe_step_row_get_expanded (row));
    }
  g_assert_true (burrow_test_shows (GTK_WIDGET (step_row (dialog, BURROW_PROBE_STEP_QUERY)), "Not run"));

  /* Nobody is offered to save anything outside a save. */
  g_assert_false (gtk_widget_get_mapped (burrow_test_find_button (GTK_WIDGET (dialog), "Save _Anyway")));
  burrow_test_screenshot_styles (GTK_WIDGET (dialog), "probe-dialog-failed");

  burrow_test_click (GTK_WIDGET (dialog), "C_opy");
  diagnostics = burrow_test_dup_clipboard (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (diagnostics, "✘ Log in to the database"));
  g_assert_null (strstr (diagnostics, "not-the-password"));

  burrow_test_close_windows ();
}

static void
test_unknown_host_key (void)
{
  g_autoptr(BurrowEngine) engine = burrow_test_new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_start_sshd (engine, FALSE);
  g_autoptr(BurrowProfile) profile = burrow_test_make_profile ("Sales warehouse", sshd, postgres);
  g_autoptr(BurrowCredentials) credentials = burrow_test_make_credentials (profile, BURROW_TEST_DB_PASSWORD);
  g_autofree char *fingerprint = burrow_test_sshd_get_host_key_fingerprint (sshd);
  g_autofree char *blob = host_key_blob (sshd);
  g_autofree char *known = NULL;
  BurrowProbeDialog *dialog = open_dialog (engine, credentials);
  GtkWindow *question;

  /* The run stops at the host key, and the decision is right there. */
  question = burrow_test_wait_for_toplevel (BURROW_TYPE_HOST_KEY_DIALOG);
  g_assert_true (gtk_window_get_transient_for (question) == GTK_WINDOW (dialog));
  g_assert_cmpint (burrow_probe_get_step_state (burrow_probe_dialog_get_probe (dialog), BURROW_PROBE_STEP_HOST_KEY),
                   ==, BURROW_PROBE_STEP_FAILED);
  burrow_test_wait_until_drawn (GTK_WIDGET (question));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (question)), ==, "Trust the Bastion’s Key?");
  g_assert_true (burrow_test_shows (GTK_WIDGET (question), shown_part (fingerprint)));
  g_assert_true (burrow_test_shows (GTK_WIDGET (question), "ssh-ed25519"));
  g_assert_true (burrow_test_shows (GTK_WIDGET (question), "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub"));
  g_assert_true (burrow_test_shows (GTK_WIDGET (question), "127.0.0.1"));
  burrow_test_screenshot_styles (GTK_WIDGET (question), "host-key-unknown");

  /* Nothing is recorded before the analyst says so. */
  known = read_known_hosts (engine);
  g_assert_null (strstr (known, blob));

  burrow_test_respond (question, "_Trust");

  /* Recorded, and the test went on to the end. */
  wait_idle (dialog);
  assert_all_green (dialog);
  g_clear_pointer (&known, g_free);
  known = read_known_hosts (engine);
  g_assert_nonnull (strstr (known, blob));

  burrow_test_close_windows ();
}

static void
test_unknown_host_key_cancelled (void)
{
  g_autoptr(BurrowEngine) engine = burrow_test_new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_start_sshd (engine, FALSE);
  g_autoptr(BurrowProfile) profile = burrow_test_make_profile ("Sales warehouse", sshd, postgres);
  g_autoptr(BurrowCredentials) credentials = burrow_test_make_credentials (profile, BURROW_TEST_DB_PASSWORD);
  g_autofree char *blob = host_key_blob (sshd);
  g_autofree char *known = NULL;
  BurrowProbeDialog *dialog = open_dialog (engine, credentials);
  GtkWindow *question = burrow_test_wait_for_toplevel (BURROW_TYPE_HOST_KEY_DIALOG);
  BurrowProbeStepRow *row;

  burrow_test_respond (question, "_Cancel");
  wait_idle (dialog);

  /* Not recorded; the failed step keeps a way back to the decision. */
  known = read_known_hosts (engine);
  g_assert_null (strstr (known, blob));
  row = step_row (dialog, BURROW_PROBE_STEP_HOST_KEY);
  g_assert_true (burrow_probe_step_row_get_expanded (row));
  burrow_test_iterate (400);
  burrow_test_click (GTK_WIDGET (row), "_Review the Key…");
  question = burrow_test_wait_for_toplevel (BURROW_TYPE_HOST_KEY_DIALOG);
  burrow_test_respond (question, "_Trust");
  wait_idle (dialog);
  assert_all_green (dialog);

  burrow_test_close_windows ();
}

/* Two unknown keys, the jump host's and the bastion's: one decision
 * each, in the order they are met. */
static void
test_jump_hosts_one_by_one (void)
{
  g_autoptr(BurrowEngine) engine = burrow_test_new_engine ();
  g_autoptr(BurrowTestSshd) jump = burrow_test_start_sshd (engine, FALSE);
  g_autoptr(BurrowTestSshd) bastion = burrow_test_start_sshd (engine, FALSE);
  g_autoptr(BurrowProfile) profile = burrow_test_make_profile ("Sales warehouse", bastion, postgres);
  g_autofree char *jump_key = burrow_test_sshd_get_client_public_key (jump);
  g_autofree char *jump_host = g_strdup_printf ("%s@127.0.0.1:%u", burrow_test_sshd_get_user (jump),
                                                burrow_test_sshd_get_port (jump));
  g_autofree char *jump_fingerprint = burrow_test_sshd_get_host_key_fingerprint (jump);
  g_autofree char *bastion_fingerprint = burrow_test_sshd_get_host_key_fingerprint (bastion);
  const char *jumps[] = { jump_host, NULL };
  g_autoptr(BurrowCredentials) credentials = NULL;
  BurrowProbeDialog *dialog;
  GtkWindow *question;

  /* One key signs in to both. */
  burrow_test_sshd_add_authorized_key (bastion, jump_key);
  burrow_profile_set_ssh_key_file (profile, burrow_test_sshd_get_client_key_path (jump));
  burrow_profile_set_jump_hosts (profile, jumps);
  credentials = burrow_test_make_credentials (profile, BURROW_TEST_DB_PASSWORD);
  dialog = open_dialog (engine, credentials);

  question = burrow_test_wait_for_toplevel (BURROW_TYPE_HOST_KEY_DIALOG);
  burrow_test_wait_until_drawn (GTK_WIDGET (question));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (question)), ==, "Trust the Jump Host’s Key?");
  g_assert_true (burrow_test_shows (GTK_WIDGET (question), shown_part (jump_fingerprint)));
  g_assert_false (burrow_test_shows (GTK_WIDGET (question), shown_part (bastion_fingerprint)));
  burrow_test_respond (question, "_Trust");

  question = burrow_test_wait_for_toplevel (BURROW_TYPE_HOST_KEY_DIALOG);
  burrow_test_wait_until_drawn (GTK_WIDGET (question));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (question)), ==, "Trust the Bastion’s Key?");
  g_assert_true (burrow_test_shows (GTK_WIDGET (question), shown_part (bastion_fingerprint)));
  burrow_test_respond (question, "_Trust");

  wait_idle (dialog);
  assert_all_green (dialog);

  burrow_test_close_windows ();
}

static void
test_changed_host_key (void)
{
  g_autoptr(BurrowEngine) engine = burrow_test_new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_start_sshd (engine, TRUE);
  g_autoptr(BurrowProfile) profile = burrow_test_make_profile ("Sales warehouse", sshd, postgres);
  g_autoptr(BurrowCredentials) credentials = burrow_test_make_credentials (profile, BURROW_TEST_DB_PASSWORD);
  g_autofree char *recorded = burrow_test_sshd_get_host_key_fingerprint (sshd);
  g_autofree char *now_shown = NULL;
  g_autofree char *known_before = read_known_hosts (engine);
  g_autofree char *known_after = NULL;
  g_autofree char *log = NULL;
  g_autoptr(GError) error = NULL;
  BurrowProbeDialog *dialog;
  GtkWindow *warning;

  burrow_test_sshd_swap_host_key (sshd, &error);
  g_assert_no_error (error);
  now_shown = burrow_test_sshd_get_host_key_fingerprint (sshd);
  g_assert_cmpstr (recorded, !=, now_shown);

  dialog = open_dialog (engine, credentials);
  warning = burrow_test_wait_for_toplevel (BURROW_TYPE_HOST_KEY_DIALOG);
  burrow_test_wait_until_drawn (GTK_WIDGET (warning));

  /* Both fingerprints and what it can mean; no way to accept it. */
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (warning)), ==, "The Bastion’s Key Has Changed");
  g_assert_true (burrow_test_shows (GTK_WIDGET (warning), shown_part (recorded)));
  g_assert_true (burrow_test_shows (GTK_WIDGET (warning), shown_part (now_shown)));
  g_assert_true (burrow_test_shows (GTK_WIDGET (warning), "sent nothing"));
  g_assert_false (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (warning), BURROW_HOST_KEY_RESPONSE_TRUST));
  g_assert_null (burrow_test_find_button (GTK_WIDGET (warning), "_Trust"));
  burrow_test_screenshot_styles (GTK_WIDGET (warning), "host-key-changed");
  burrow_test_respond (warning, "_Close");
  wait_idle (dialog);

  g_assert_cmpint (burrow_probe_get_step_state (burrow_probe_dialog_get_probe (dialog), BURROW_PROBE_STEP_AUTH),
                   ==, BURROW_PROBE_STEP_NOT_RUN);

  /* Nothing was sent to that server: it never heard a sign-in. */
  log = burrow_test_sshd_get_log (sshd);
  g_test_message ("%s", log);
  g_assert_null (strstr (log, "publickey"));
  g_assert_null (strstr (log, "Accepted"));

  /* And nothing was replaced. */
  known_after = read_known_hosts (engine);
  g_assert_cmpstr (known_before, ==, known_after);

  burrow_test_close_windows ();
}

/* A "bastion" that accepts the connection and never says a word. */
static int
listen_silently (guint16 *port)
{
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t length = sizeof address;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (bind (fd, (struct sockaddr *)&address, sizeof address), ==, 0);
  g_assert_cmpint (listen (fd, 8), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *)&address, &length), ==, 0);
  *port = ntohs (address.sin_port);

  return fd;
}

static gboolean
handshake_running (gpointer data)
{
  BurrowProbe *probe = burrow_probe_dialog_get_probe (data);

  return probe != NULL &&
         burrow_probe_get_step_state (probe, BURROW_PROBE_STEP_HANDSHAKE) == BURROW_PROBE_STEP_RUNNING;
}

static void
test_cancel (void)
{
  g_autoptr(BurrowEngine) engine = burrow_test_new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_start_sshd (engine, TRUE);
  g_autoptr(BurrowProfile) profile = burrow_test_make_profile ("Sales warehouse", sshd, postgres);
  g_autoptr(BurrowCredentials) credentials = NULL;
  BurrowProbeDialog *dialog;
  guint16 port;
  int fd = listen_silently (&port);
  gint64 cancelled_at;

  burrow_profile_set_ssh_port (profile, port);
  credentials = burrow_test_make_credentials (profile, BURROW_TEST_DB_PASSWORD);
  dialog = open_dialog (engine, credentials);

  g_assert_true (burrow_test_wait_until (handshake_running, dialog, BURROW_TEST_DIALOG_TIMEOUT_MS));
  g_assert_true (burrow_test_shows (GTK_WIDGET (dialog), "Testing “Sales warehouse”…"));
  cancelled_at = g_get_monotonic_time ();
  burrow_test_click (GTK_WIDGET (dialog), "_Cancel");
  wait_idle (dialog);

  /* Stopped at once, not at the step's timeout, and the steps that did
   * not run say so. */
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, 5 * G_USEC_PER_SEC);
  g_assert_true (burrow_test_shows (GTK_WIDGET (dialog), "The Test Was Stopped"));
  g_assert_cmpint (burrow_probe_get_step_state (burrow_probe_dialog_get_probe (dialog), BURROW_PROBE_STEP_TCP),
                   ==, BURROW_PROBE_STEP_PASSED);
  for (guint i = BURROW_PROBE_STEP_HOST_KEY; i < BURROW_PROBE_N_STEPS; i++)
    g_assert_true (burrow_test_shows (GTK_WIDGET (step_row (dialog, i)), "Not run"));

  burrow_test_close_windows ();
  close (fd);
}

static void
on_save_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static gboolean
result_set (gpointer data)
{
  return *(GAsyncResult **)data != NULL;
}

static gboolean
test_before_save (BurrowEngine       *engine,
                  BurrowCredentials  *credentials,
                  void              (*act) (BurrowProbeDialog *dialog),
                  GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  BurrowProbeDialog *dialog;

  burrow_probe_dialog_test_before_save_async (NULL, engine, credentials, NULL, on_save_done, &result);
  dialog = BURROW_PROBE_DIALOG (burrow_test_wait_for_toplevel (BURROW_TYPE_PROBE_DIALOG));
  if (act != NULL)
    {
      wait_idle (dialog);
      act (dialog);
    }

  g_assert_true (burrow_test_wait_until (result_set, &result, BURROW_TEST_DIALOG_TIMEOUT_MS));
  return burrow_probe_dialog_test_before_save_finish (result, error);
}

static void
press_save_anyway (BurrowProbeDialog *dialog)
{
  g_assert_true (burrow_test_shows (GTK_WIDGET (dialog), "Nothing is saved yet"));
  burrow_test_screenshot_styles (GTK_WIDGET (dialog), "probe-dialog-save-anyway");
  burrow_test_click (GTK_WIDGET (dialog), "Save _Anyway");
}

static void
close_dialog (BurrowProbeDialog *dialog)
{
  g_assert_true (gtk_widget_get_mapped (burrow_test_find_button (GTK_WIDGET (dialog), "Save _Anyway")));
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
test_save (void)
{
  g_autoptr(BurrowEngine) engine = burrow_test_new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_start_sshd (engine, TRUE);
  g_autoptr(BurrowProfile) profile = burrow_test_make_profile ("Sales warehouse", sshd, postgres);
  g_autoptr(BurrowCredentials) good = burrow_test_make_credentials (profile, BURROW_TEST_DB_PASSWORD);
  g_autoptr(BurrowCredentials) wrong = burrow_test_make_credentials (profile, "not-the-password");
  g_autoptr(GError) error = NULL;

  /* Every step passed: save, with nothing to press. */
  g_assert_true (test_before_save (engine, good, NULL, &error));
  g_assert_no_error (error);
  burrow_test_iterate (50);
  g_assert_null (burrow_test_find_toplevel (BURROW_TYPE_PROBE_DIALOG));

  /* A failure: "Save Anyway" saves. */
  g_assert_true (test_before_save (engine, wrong, press_save_anyway, &error));
  g_assert_no_error (error);
  burrow_test_iterate (50);
  g_assert_null (burrow_test_find_toplevel (BURROW_TYPE_PROBE_DIALOG));

  /* A failure, and the dialog closed: nothing to save. */
  g_assert_false (test_before_save (engine, wrong, close_dialog, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  burrow_test_close_windows ();
}

static gboolean
guide_ready (gpointer data)
{
  return burrow_key_guide_window_get_identity (data) != NULL;
}

/* Burrow's own key, not on the bastion yet: the failed sign-in leads to
 * the guide; the key installed as the guide says, "Test Again" there
 * passes here. */
static void
test_key_not_authorized (void)
{
  g_autoptr(BurrowEngine) engine = burrow_test_new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_start_sshd (engine, TRUE);
  g_autoptr(BurrowProfile) profile = burrow_test_make_profile ("Sales warehouse", sshd, postgres);
  g_autoptr(BurrowCredentials) credentials = NULL;
  BurrowKeyGuideWindow *guide;
  BurrowProbeDialog *dialog;
  BurrowProbeStepRow *auth;
  g_autofree char *restricted = NULL;

  burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_WORKSPACE_KEY);
  credentials = burrow_test_make_credentials (profile, BURROW_TEST_DB_PASSWORD);
  dialog = open_dialog (engine, credentials);
  wait_idle (dialog);

  g_assert_true (burrow_probe_get_workspace_key_not_authorized (burrow_probe_dialog_get_probe (dialog)));
  auth = step_row (dialog, BURROW_PROBE_STEP_AUTH);
  g_assert_true (burrow_probe_step_row_get_expanded (auth));
  burrow_test_iterate (400);
  burrow_test_screenshot_styles (GTK_WIDGET (dialog), "probe-dialog-key-refused");
  burrow_test_click (GTK_WIDGET (auth), "_Authorize Burrow’s Key…");

  guide = BURROW_KEY_GUIDE_WINDOW (burrow_test_wait_for_toplevel (BURROW_TYPE_KEY_GUIDE_WINDOW));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (guide)) == GTK_WINDOW (dialog));
  g_assert_true (burrow_test_wait_until (guide_ready, guide, BURROW_TEST_DIALOG_TIMEOUT_MS));
  burrow_test_wait_until_drawn (GTK_WIDGET (guide));

  /* What the guide shows is what the bastion needs. */
  restricted = burrow_identity_dup_restricted_line (burrow_key_guide_window_get_identity (guide), "127.0.0.1",
                                                    burrow_test_database_get_port (postgres));
  g_assert_true (burrow_test_shows (GTK_WIDGET (guide), restricted));
  burrow_test_sshd_set_authorized_keys (sshd, restricted);

  burrow_test_click (GTK_WIDGET (guide), "Test _Again");
  g_assert_true (burrow_probe_dialog_get_busy (dialog));
  wait_idle (dialog);
  assert_all_green (dialog);
  g_assert_null (burrow_test_find_toplevel (BURROW_TYPE_KEY_GUIDE_WINDOW));

  burrow_test_close_windows ();
}

/* The window closes while a test runs: the dialog goes with it, and the
 * run that ends afterwards finds nothing gone. */
static void
test_parent_closed (void)
{
  g_autoptr(BurrowEngine) engine = burrow_test_new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_start_sshd (engine, TRUE);
  g_autoptr(BurrowProfile) profile = burrow_test_make_profile ("Sales warehouse", sshd, postgres);
  g_autoptr(BurrowCredentials) credentials = NULL;
  g_autoptr(BurrowProbe) probe = NULL;
  GtkWidget *parent = adw_window_new ();
  BurrowProbeDialog *dialog;
  guint16 port;
  int fd = listen_silently (&port);

  burrow_profile_set_ssh_port (profile, port);
  credentials = burrow_test_make_credentials (profile, BURROW_TEST_DB_PASSWORD);
  gtk_window_present (GTK_WINDOW (parent));
  dialog = burrow_probe_dialog_new (GTK_WINDOW (parent), engine, credentials);
  gtk_window_present (GTK_WINDOW (dialog));
  burrow_probe_dialog_run (dialog);
  g_assert_true (burrow_test_wait_until (handshake_running, dialog, BURROW_TEST_DIALOG_TIMEOUT_MS));
  probe = g_object_ref (burrow_probe_dialog_get_probe (dialog));

  gtk_window_destroy (GTK_WINDOW (parent));
  burrow_test_iterate (50);
  g_assert_null (burrow_test_find_toplevel (BURROW_TYPE_PROBE_DIALOG));

  /* The run was cancelled with the dialog and has ended. */
  burrow_test_iterate (500);
  g_assert_false (burrow_probe_get_running (probe));

  close (fd);
  burrow_test_close_windows ();
}

static gboolean
page_idle (gpointer data)
{
  return !burrow_connection_page_get_busy (data);
}

static char *
read_connections_ini (void)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "burrow", "connections.ini", NULL);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

/* The connection page's Test, Save and Show the Guide. */
static void
test_from_page (void)
{
  g_autoptr(BurrowEngine) engine = burrow_test_new_engine ();
  g_autoptr(BurrowTestSshd) sshd = burrow_test_start_sshd (engine, TRUE);
  g_autoptr(BurrowProfile) profile = burrow_test_make_profile ("Sales warehouse", sshd, postgres);
  g_autoptr(BurrowCredentials) credentials = burrow_test_make_credentials (profile, BURROW_TEST_DB_PASSWORD);
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ini = NULL;
  BurrowConnectionPage *page;
  BurrowProbeDialog *dialog;
  GtkWindow *window;
  GtkWindow *guide;

  burrow_engine_save_async (engine, credentials, NULL, burrow_test_on_done, &result);
  connection = burrow_engine_save_finish (engine, burrow_test_wait_for (&result), &error);
  g_assert_no_error (error);

  page = BURROW_CONNECTION_PAGE (burrow_connection_page_new (engine, connection, NULL));
  window = burrow_test_present (GTK_WIDGET (page), 900, 760);
  g_assert_true (burrow_test_wait_until (page_idle, page, BURROW_TEST_DIALOG_TIMEOUT_MS));

  /* Test: the dialog over the window, every step green. */
  burrow_test_click (GTK_WIDGET (page), "_Test");
  dialog = BURROW_PROBE_DIALOG (burrow_test_wait_for_toplevel (BURROW_TYPE_PROBE_DIALOG));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == window);
  g_assert_true (burrow_connection_page_get_busy (page));
  wait_idle (dialog);
  assert_all_green (dialog);
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (burrow_test_wait_until (page_idle, page, BURROW_TEST_DIALOG_TIMEOUT_MS));

  /* A changed database is tested before it is saved; this user does not
   * exist, and Save Anyway keeps it all the same. */
  burrow_profile_set_db_user (burrow_connection_page_get_draft (page), "nobody");
  burrow_test_iterate (50);
  burrow_test_click (GTK_WIDGET (page), "_Save");
  dialog = BURROW_PROBE_DIALOG (burrow_test_wait_for_toplevel (BURROW_TYPE_PROBE_DIALOG));
  wait_idle (dialog);
  g_assert_cmpint (burrow_probe_get_step_state (burrow_probe_dialog_get_probe (dialog), BURROW_PROBE_STEP_LOGIN),
                   ==, BURROW_PROBE_STEP_FAILED);
  ini = read_connections_ini ();
  g_assert_null (strstr (ini, "db-user=nobody\n"));
  burrow_test_click (GTK_WIDGET (dialog), "Save _Anyway");
  g_assert_true (burrow_test_wait_until (page_idle, page, BURROW_TEST_DIALOG_TIMEOUT_MS));
  g_assert_false (burrow_connection_page_get_dirty (page));
  g_clear_pointer (&ini, g_free);
  ini = read_connections_ini ();
  g_assert_nonnull (strstr (ini, "db-user=nobody\n"));

  /* A new name reaches the database the same way: saved at once. */
  burrow_profile_set_name (burrow_connection_page_get_draft (page), "Sales warehouse (EU)");
  burrow_test_iterate (50);
  burrow_test_click (GTK_WIDGET (page), "_Save");
  g_assert_true (burrow_test_wait_until (page_idle, page, BURROW_TEST_DIALOG_TIMEOUT_MS));
  g_assert_null (burrow_test_find_toplevel (BURROW_TYPE_PROBE_DIALOG));
  g_clear_pointer (&ini, g_free);
  ini = read_connections_ini ();
  g_assert_nonnull (strstr (ini, "name=Sales warehouse (EU)\n"));

  /* Burrow's own key: the guide, for the form as it is. */
  burrow_profile_set_ssh_auth (burrow_connection_page_get_draft (page), BURROW_PROFILE_AUTH_WORKSPACE_KEY);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (burrow_test_find_widget (GTK_WIDGET (page), ADW_TYPE_EXPANDER_ROW,
                                                                            "SSH Tunnel")), TRUE);
  burrow_test_iterate (300);
  burrow_test_click (GTK_WIDGET (page), "Show the _Guide");
  guide = burrow_test_wait_for_toplevel (BURROW_TYPE_KEY_GUIDE_WINDOW);
  g_assert_true (burrow_key_guide_window_get_profile (BURROW_KEY_GUIDE_WINDOW (guide)) ==
                 burrow_connection_page_get_draft (page));

  burrow_test_close_windows ();
}

int
main (int    argc,
      char **argv)
{
  static const BurrowTestCase cases[] = {
    { "/burrow/probe-dialog/passed", test_passed },
    { "/burrow/probe-dialog/wrong-password", test_wrong_password },
    { "/burrow/probe-dialog/unknown-host-key", test_unknown_host_key },
    { "/burrow/probe-dialog/unknown-host-key-cancelled", test_unknown_host_key_cancelled },
    { "/burrow/probe-dialog/jump-hosts-one-by-one", test_jump_hosts_one_by_one },
    { "/burrow/probe-dialog/changed-host-key", test_changed_host_key },
    { "/burrow/probe-dialog/cancel", test_cancel },
    { "/burrow/probe-dialog/save", test_save },
    { "/burrow/probe-dialog/key-not-authorized", test_key_not_authorized },
    { "/burrow/probe-dialog/parent-closed", test_parent_closed },
    { "/burrow/probe-dialog/from-page", test_from_page },
  };

  return burrow_test_dialogs_main (&argc, &argv, cases, G_N_ELEMENTS (cases), &postgres);
}
