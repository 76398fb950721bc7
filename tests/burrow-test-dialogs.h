/* burrow-test-dialogs.h — what the tests of the test dialog and the key
 * guide share: an engine on the fixtures' servers, and reading and
 * pressing what a window shows.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "burrow-core.h"
#include "burrow-test-database.h"
#include "burrow-test-engine.h"
#include "burrow-test-env.h"
#include "burrow-test-screenshot.h"
#include "burrow-test-secrets.h"
#include "burrow-test-sshd.h"

/* Only a guard against hangs: no test depends on how long anything takes. */
#define BURROW_TEST_DIALOG_TIMEOUT_MS 30000

/* The fixture's PostgreSQL through @sshd, signing in with its client key. */
static inline BurrowProfile *
burrow_test_make_profile (const char         *name,
                          BurrowTestSshd     *sshd,
                          BurrowTestDatabase *db)
{
  BurrowProfile *profile = burrow_profile_new ();

  burrow_profile_set_name (profile, name);
  burrow_profile_set_db_kind (profile, BURROW_DB_KIND_POSTGRESQL);
  burrow_profile_set_db_host (profile, "127.0.0.1");
  burrow_profile_set_db_port (profile, burrow_test_database_get_port (db));
  burrow_profile_set_db_name (profile, BURROW_TEST_DB_NAME);
  burrow_profile_set_db_user (profile, BURROW_TEST_DB_USER);
  burrow_profile_set_tunnel_enabled (profile, TRUE);
  burrow_profile_set_ssh_host (profile, "127.0.0.1");
  burrow_profile_set_ssh_port (profile, burrow_test_sshd_get_port (sshd));
  burrow_profile_set_ssh_user (profile, burrow_test_sshd_get_user (sshd));
  burrow_profile_set_ssh_auth (profile, BURROW_PROFILE_AUTH_KEY_FILE);
  burrow_profile_set_ssh_key_file (profile, burrow_test_sshd_get_client_key_path (sshd));

  return profile;
}

static inline BurrowCredentials *
burrow_test_make_credentials (BurrowProfile *profile,
                              const char    *db_password)
{
  BurrowCredentials *credentials = burrow_credentials_new (profile);

  burrow_credentials_set_secret (credentials, BURROW_SECRET_DB_PASSWORD, db_password);
  return credentials;
}

/* The shown window of @type, or NULL. */
static inline GtkWindow *
burrow_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static inline gboolean
burrow_test_toplevel_shown (gpointer type)
{
  return burrow_test_find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

static inline GtkWindow *
burrow_test_wait_for_toplevel (GType type)
{
  g_assert_true (burrow_test_wait_until (burrow_test_toplevel_shown, GSIZE_TO_POINTER (type),
                                         BURROW_TEST_DIALOG_TIMEOUT_MS));
  return burrow_test_find_toplevel (type);
}

static inline gboolean
burrow_test_window_gone (gpointer window)
{
  return !gtk_widget_get_visible (window);
}

static inline void
burrow_test_append_text (GtkWidget *widget,
                         GString   *text)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    burrow_test_append_text (child, text);
}

/* Every label under @widget that is on screen, one a line: what a person
 * reads there. */
static inline char *
burrow_test_dup_shown_text (GtkWidget *widget)
{
  GString *text = g_string_new (NULL);

  burrow_test_append_text (widget, text);
  return g_string_free (text, FALSE);
}

static inline gboolean
burrow_test_shows (GtkWidget  *widget,
                   const char *needle)
{
  g_autofree char *text = burrow_test_dup_shown_text (widget);

  return strstr (text, needle) != NULL;
}

/* The button under @root labelled @label (itself, or through an
 * AdwButtonContent), on screen when one is: a hidden one of the same
 * label may come first. */
static inline GtkWidget *
burrow_test_find_button (GtkWidget  *root,
                         const char *label)
{
  GtkWidget *found = NULL;

  if (GTK_IS_BUTTON (root))
    {
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (root));

      if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0 ||
          g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (root)), label) == 0 ||
          (ADW_IS_BUTTON_CONTENT (child) &&
           g_strcmp0 (adw_button_content_get_label (ADW_BUTTON_CONTENT (child)), label) == 0))
        {
          if (gtk_widget_get_mapped (root))
            return root;
          found = root;
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = burrow_test_find_button (child, label);

      if (button != NULL && gtk_widget_get_mapped (button))
        return button;
      if (found == NULL)
        found = button;
    }

  return found;
}

static inline void
burrow_test_click (GtkWidget  *root,
                   const char *label)
{
  GtkWidget *button = burrow_test_find_button (root, label);

  g_test_message ("Pressing “%s”", label);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* Presses a message dialog's button and waits until it is gone. */
static inline void
burrow_test_respond (GtkWindow  *dialog,
                     const char *label)
{
  g_autoptr(GtkWindow) held = g_object_ref (dialog);

  burrow_test_click (GTK_WIDGET (dialog), label);
  g_assert_true (burrow_test_wait_until (burrow_test_window_gone, held, BURROW_TEST_DIALOG_TIMEOUT_MS));
}

static inline void
burrow_test_close_windows (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (window);
    }

  burrow_test_iterate (50);
}

typedef struct
{
  const char *path;
  GTestFunc   func;
} BurrowTestCase;

static inline void
burrow_test_skip_without_display (void)
{
  g_test_skip ("No display");
}

/* The main () of a dialog test: the servers it uses, started before GTK
 * so that the keyring's private bus is the session bus of the whole
 * program; then the cases, skipped when there is no display. */
static inline int
burrow_test_dialogs_main (int                   *argc,
                          char                ***argv,
                          const BurrowTestCase  *cases,
                          guint                  n_cases,
                          BurrowTestDatabase   **postgres)
{
  g_autoptr(GError) error = NULL;
  BurrowTestKeyring *keyring;
  gboolean display;
  int status;

  burrow_test_init (argc, argv);

  keyring = burrow_test_start_keyring ();
  *postgres = burrow_test_postgres_new (&error);
  g_assert_no_error (error);

  display = burrow_test_have_display ();
  for (guint i = 0; i < n_cases; i++)
    g_test_add_func (cases[i].path, display ? cases[i].func : burrow_test_skip_without_display);

  status = g_test_run ();

  g_clear_pointer (postgres, burrow_test_database_free);
  burrow_test_keyring_free (keyring);

  return status;
}
