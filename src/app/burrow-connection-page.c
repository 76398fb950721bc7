/* burrow-connection-page.c — one connection, top to bottom in the order it is set up.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page edits a draft: a copy of the saved profile (or a new one) that
 * the groups change as the analyst types, checked against the other
 * connections at each change. Save is possible once the draft is valid;
 * it goes through the engine with the secrets that were typed, and the
 * draft then follows the saved connection again. A change another
 * process makes to the saved connection shows at once while the draft is
 * clean, and waits while the analyst is editing.
 *
 * The header holds Save, Test and Connect; Test and Connect stay in the
 * same place whatever else shows. Connecting and disconnecting go through
 * the window (win.connect, win.disconnect), so that leaving the page does
 * not cancel a connect under way; closing the window does.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-accessible.h"
#include "burrow-connection-page.h"
#include "burrow-connection-state.h"
#include "burrow-database-group.h"
#include "burrow-endpoint-group.h"
#include "burrow-forget-key-dialog.h"
#include "burrow-host-key-dialog.h"
#include "burrow-key-guide-window.h"
#include "burrow-port-row.h"
#include "burrow-probe-dialog.h"
#include "burrow-state-banner.h"
#include "burrow-tunnel-group.h"
#include "burrow-usage-group.h"
#include "burrow-window.h"

struct _BurrowConnectionPage
{
  GtkWidget            parent_instance;

  BurrowEngine        *engine;
  BurrowConnection    *connection;
  BurrowProfile       *start;
  BurrowProfile       *draft;
  BurrowProfile       *baseline;   /* what a new connection started as */
  BurrowHostKey       *seen_key;   /* a changed key the last test met */
  GCancellable        *cancellable;
  GPtrArray           *problems;
  char                *title;
  gboolean             dirty;
  gboolean             valid;
  gboolean             saving;
  gboolean             testing;
  gboolean             folded;
  gboolean             connect_after_save;

  /* Template widgets */
  AdwHeaderBar        *header_bar;
  AdwWindowTitle      *window_title;
  GtkButton           *back_button;
  GtkButton           *connect_button;
  GtkButton           *test_button;
  GtkButton           *save_button;
  BurrowStateBanner   *banner;
  AdwPreferencesPage  *preferences_page;
  BurrowFormGroup     *database_group;
  BurrowFormGroup     *tunnel_group;
  BurrowFormGroup     *endpoint_group;
  BurrowFormGroup     *groups[3];
  BurrowUsageGroup    *usage_group;
  AdwPreferencesGroup *delete_group;
  GtkButton           *delete_button;
};

G_DEFINE_FINAL_TYPE (BurrowConnectionPage, burrow_connection_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_CONNECTION,
  PROP_START,
  PROP_DRAFT,
  PROP_DIRTY,
  PROP_VALID,
  PROP_BUSY,
  PROP_TITLE,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void save_now_async (BurrowConnectionPage *self,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data);

/* ------------------------------------------------------------------ */
/* State                                                               */
/* ------------------------------------------------------------------ */

static char *
profile_to_text (BurrowProfile *profile)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  burrow_profile_save_to_key_file (profile, key_file, "connection");
  return g_key_file_to_data (key_file, NULL, NULL);
}

/* Equal as connections.ini would write them: the one comparison that
 * cannot miss a field. */
static gboolean
profiles_equal (BurrowProfile *a,
                BurrowProfile *b)
{
  g_autofree char *text_a = profile_to_text (a);
  g_autofree char *text_b = profile_to_text (b);

  return g_str_equal (text_a, text_b);
}

static BurrowProfile *
saved_profile (BurrowConnectionPage *self)
{
  return self->connection != NULL ? burrow_connection_get_profile (self->connection) : self->baseline;
}

static gboolean
is_running (BurrowConnectionPage *self)
{
  return self->connection != NULL && burrow_connection_state_wants_switch_on (self->connection);
}

static void
set_boolean (BurrowConnectionPage *self,
             gboolean             *field,
             gboolean              value,
             guint                 prop)
{
  value = !!value;
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
update_actions (BurrowConnectionPage *self)
{
  gboolean running = is_running (self);
  gboolean elsewhere = self->connection != NULL && burrow_connection_state_is_elsewhere (self->connection);
  const char *name = burrow_profile_get_name (self->draft);
  g_autofree char *connect_label = NULL;
  g_autofree char *save_tooltip = NULL;
  g_autofree char *reason = NULL;
  gboolean can_connect;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.save",
                                 self->valid && !self->saving && (self->dirty || self->connection == NULL));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.test", self->valid && !self->testing);

  /* Disconnecting is always possible; connecting needs a valid tunnel,
   * and one that no other Burrow process runs already: a second one
   * could only listen on another port. */
  can_connect = running || (self->valid && !self->saving && !elsewhere &&
                            burrow_profile_get_tunnel_enabled (self->draft));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.toggle-connection", can_connect);

  gtk_button_set_label (self->connect_button, running ? _("_Disconnect") : _("_Connect"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->connect_button),
                               running ? _("Stop the tunnel (Ctrl+Return)")
                               : elsewhere ? _("It runs in another Burrow process: stop it there to run it here")
                               : burrow_profile_get_tunnel_enabled (self->draft)
                                 ? _("Open the tunnel on this computer (Ctrl+Return)")
                                 : _("Without an SSH tunnel there is nothing to connect: your tools reach the database directly"));
  if (name == NULL || *name == '\0')
    connect_label = g_strdup (running ? _("Disconnect the new connection") : _("Connect the new connection"));
  else
    connect_label = g_strdup_printf (running ? _("Disconnect %s") : _("Connect %s"), name);
  burrow_accessible_name_button (GTK_WIDGET (self->connect_button), connect_label);

  gtk_widget_set_visible (GTK_WIDGET (self->save_button), self->dirty || self->connection == NULL);
  reason = burrow_connection_page_dup_invalid_reason (self);
  if (reason != NULL)
    /* Translators: the tooltip of a Save button that cannot save yet; %s says why */
    save_tooltip = g_strdup_printf (_("Cannot save yet: %s"), reason);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->save_button), save_tooltip != NULL ? save_tooltip : _("Save (Ctrl+S)"));

  gtk_widget_set_visible (GTK_WIDGET (self->delete_group), self->connection != NULL);
  if (self->connection != NULL)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (self->delete_button), "s",
                                      burrow_connection_get_id (self->connection));
}

static void
update_title (BurrowConnectionPage *self)
{
  const char *name = burrow_profile_get_name (self->draft);
  g_autofree char *summary = NULL;

  /* A route half typed in reads as the kind alone. */
  if (burrow_profile_get_tunnel_enabled (self->draft) && burrow_profile_get_ssh_host (self->draft) == NULL)
    summary = g_strdup (burrow_db_kind_get_display_name (burrow_profile_get_db_kind (self->draft)));
  else
    summary = burrow_profile_dup_summary (self->draft);

  g_free (self->title);
  self->title = g_strdup (name != NULL ? name : _("New Connection"));

  adw_window_title_set_title (self->window_title, self->title);
  adw_window_title_set_subtitle (self->window_title, summary);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

static void
revalidate (BurrowConnectionPage *self,
            gboolean              arm)
{
  BurrowProfile *saved = saved_profile (self);
  gboolean dirty;

  g_clear_pointer (&self->problems, g_ptr_array_unref);
  self->problems = burrow_engine_collect_errors (self->engine, self->draft);

  dirty = saved != NULL && !profiles_equal (self->draft, saved);
  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    {
      burrow_form_group_show_problems (self->groups[i], self->problems, arm);
      dirty |= burrow_form_group_get_secrets_edited (self->groups[i]);
    }

  set_boolean (self, &self->valid, self->problems->len == 0, PROP_VALID);
  set_boolean (self, &self->dirty, dirty, PROP_DIRTY);
  update_actions (self);
}

static void
update_suggested_port (BurrowConnectionPage *self)
{
  const GError *error = self->connection != NULL ? burrow_connection_get_error (self->connection) : NULL;
  guint port = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE) ||
      g_error_matches (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_LOCAL_PORT_TAKEN))
    {
      g_autoptr(BurrowProfile) elsewhere = burrow_profile_copy (self->draft, FALSE);

      /* Any port but the one that is taken: the store would offer it
       * again while connections.ini still names it. */
      burrow_profile_set_local_port (elsewhere, 0);
      port = burrow_engine_suggest_local_port (self->engine, elsewhere);
      if (port == burrow_profile_get_local_port (self->draft))
        port = 0;
    }

  burrow_state_banner_set_suggested_port (self->banner, port);
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

static void
on_draft_notify (BurrowConnectionPage *self)
{
  update_title (self);
  revalidate (self, FALSE);
}

static void
on_group_notify_secrets_edited (BurrowConnectionPage *self)
{
  revalidate (self, FALSE);
}

static void
on_saved_profile_notify (BurrowConnectionPage *self)
{
  /* Another process (or a save from here) changed the connection: a
   * clean draft follows; one being edited keeps the analyst's values. */
  if (!self->dirty && !self->saving)
    burrow_profile_assign (self->draft, burrow_connection_get_profile (self->connection));

  revalidate (self, TRUE);
}

static void
on_connection_notify (BurrowConnectionPage *self)
{
  update_suggested_port (self);
  update_actions (self);
}

static void
on_secrets_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  BurrowCredentials *credentials = BURROW_CREDENTIALS (source);
  g_autoptr(BurrowConnectionPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!burrow_credentials_fill_finish (credentials, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *cause = burrow_error_dup_cause (error);

          /* Translators: %s says why the keyring could not be read */
          g_autofree char *message = g_strdup_printf (_("The passwords could not be read: %s"), cause);

          gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", message);
        }
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    burrow_form_group_load_secrets (self->groups[i], credentials);
}

/* The keyring is read asynchronously: the rows fill when it answers. */
static void
load_secrets (BurrowConnectionPage *self)
{
  g_autoptr(BurrowCredentials) credentials = NULL;

  credentials = burrow_credentials_new (burrow_connection_get_profile (self->connection));
  /* Only what the form shows: reading Burrow's own key would make it. */
  burrow_credentials_set_secret (credentials, BURROW_SECRET_WORKSPACE_KEY, "");
  burrow_credentials_fill_async (credentials, self->cancellable, on_secrets_loaded, g_object_ref (self));
}

static void
set_connection (BurrowConnectionPage *self,
                BurrowConnection     *connection)
{
  g_assert (self->connection == NULL);

  self->connection = g_object_ref (connection);
  g_clear_object (&self->baseline);

  g_signal_connect_object (burrow_connection_get_profile (connection), "notify",
                           G_CALLBACK (on_saved_profile_notify), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (connection, "notify", G_CALLBACK (on_connection_notify), self, G_CONNECT_SWAPPED);

  burrow_state_banner_set_connection (self->banner, connection);
  burrow_usage_group_set_connection (self->usage_group, connection);
  update_suggested_port (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

static void
show_error (BurrowConnectionPage *self,
            const char           *heading,
            const GError         *error)
{
  g_autofree char *cause = burrow_error_dup_cause (error);
  const char *hint = burrow_error_get_hint (error);
  g_autofree char *body = hint != NULL ? g_strdup_printf ("%s.\n\n%s", cause, hint) : g_strdup (cause);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  BurrowConnectionPage *self = BURROW_CONNECTION_PAGE (source);
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = burrow_connection_page_save_finish (self, result, &error);
  if (connection == NULL)
    {
      self->connect_after_save = FALSE;
      /* Closing the test dialog said so already. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("The Connection Was Not Saved"), error);
      return;
    }

  if (self->connect_after_save)
    {
      self->connect_after_save = FALSE;
      gtk_widget_activate_action (GTK_WIDGET (self), "win.connect", "s", burrow_connection_get_id (connection));
    }
}

static BurrowCredentials *
credentials_from_form (BurrowConnectionPage *self)
{
  g_autoptr(BurrowProfile) copy = burrow_profile_copy (self->draft, FALSE);
  BurrowCredentials *credentials = burrow_credentials_new (copy);

  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    burrow_form_group_collect_secrets (self->groups[i], credentials);

  return credentials;
}

/* Whether the draft reaches the database another way than the saved
 * connection (or there is none yet): what a save tests first. */
static gboolean
route_changed (BurrowConnectionPage *self)
{
  BurrowProfile *saved = self->connection != NULL ? burrow_connection_get_profile (self->connection) : NULL;
  BurrowProfile *draft = self->draft;

  if (saved == NULL)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    if (burrow_form_group_get_secrets_edited (self->groups[i]))
      return TRUE;

  return burrow_profile_get_db_kind (saved) != burrow_profile_get_db_kind (draft) ||
         g_strcmp0 (burrow_profile_get_db_host (saved), burrow_profile_get_db_host (draft)) != 0 ||
         burrow_profile_get_db_port (saved) != burrow_profile_get_db_port (draft) ||
         g_strcmp0 (burrow_profile_get_db_name (saved), burrow_profile_get_db_name (draft)) != 0 ||
         g_strcmp0 (burrow_profile_get_db_user (saved), burrow_profile_get_db_user (draft)) != 0 ||
         burrow_profile_get_tunnel_enabled (saved) != burrow_profile_get_tunnel_enabled (draft) ||
         g_strcmp0 (burrow_profile_get_ssh_host (saved), burrow_profile_get_ssh_host (draft)) != 0 ||
         burrow_profile_get_ssh_port (saved) != burrow_profile_get_ssh_port (draft) ||
         g_strcmp0 (burrow_profile_get_ssh_user (saved), burrow_profile_get_ssh_user (draft)) != 0 ||
         burrow_profile_get_ssh_auth (saved) != burrow_profile_get_ssh_auth (draft) ||
         g_strcmp0 (burrow_profile_get_ssh_key_file (saved), burrow_profile_get_ssh_key_file (draft)) != 0 ||
         !g_strv_equal (burrow_profile_get_jump_hosts (saved), burrow_profile_get_jump_hosts (draft));
}

static void
set_testing (BurrowConnectionPage *self,
             gboolean              testing)
{
  self->testing = testing;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
remember_host_key (BurrowConnectionPage *self,
                   BurrowProbe          *probe)
{
  BurrowHostKey *key = probe != NULL ? burrow_probe_get_host_key (probe) : NULL;

  /* What "Forget…" shows beside the recorded fingerprint. */
  if (key != NULL && burrow_host_key_get_status (key) == BURROW_HOST_KEY_CHANGED)
    g_set_object (&self->seen_key, key);
}

static void
on_probe_dialog_notify_busy (BurrowConnectionPage *self,
                             GParamSpec           *pspec,
                             BurrowProbeDialog    *dialog)
{
  if (!burrow_probe_dialog_get_busy (dialog))
    remember_host_key (self, burrow_probe_dialog_get_probe (dialog));
}

static void
on_probe_dialog_destroy (BurrowConnectionPage *self)
{
  set_testing (self, FALSE);
}

/* The test dialog over @parent; it closes when the page stops. */
static void
open_probe_dialog (BurrowConnectionPage *self,
                   GtkWindow            *parent)
{
  g_autoptr(BurrowCredentials) credentials = credentials_from_form (self);
  BurrowProbeDialog *dialog = burrow_probe_dialog_new (parent, self->engine, credentials);

  set_testing (self, TRUE);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_probe_dialog_destroy), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "notify::busy", G_CALLBACK (on_probe_dialog_notify_busy), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (gtk_window_close), dialog, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  burrow_probe_dialog_run (dialog);
}


static void
on_guide_test_again (BurrowConnectionPage *self,
                     BurrowKeyGuideWindow *guide)
{
  if (!self->testing && self->valid)
    open_probe_dialog (self, GTK_WINDOW (guide));
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */
/* ------------------------------------------------------------------ */

static void
page_save (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  burrow_connection_page_save_async (BURROW_CONNECTION_PAGE (widget), NULL, on_saved, NULL);
}

typedef struct
{
  BurrowConnectionPage *self;
  char                 *server;
} Forgetting;

static void
forgetting_free (Forgetting *forgetting)
{
  g_object_unref (forgetting->self);
  g_free (forgetting->server);
  g_free (forgetting);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Forgetting, forgetting_free)

static void
on_host_key_forgotten (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(Forgetting) forgetting = user_data;
  BurrowConnectionPage *self = forgetting->self;
  g_autoptr(GError) error = NULL;
  GtkRoot *root;
  AdwToast *toast;

  if (!burrow_engine_forget_host_key_finish (BURROW_ENGINE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("The Host Key Was Not Forgotten"), error);
      return;
    }

  g_clear_object (&self->seen_key);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (!BURROW_IS_WINDOW (root))
    return;

  /* Translators: %s is a server */
  toast = adw_toast_new_format (_("The recorded key of %s is forgotten"), forgetting->server);
  adw_toast_set_button_label (toast, _("_Test"));
  adw_toast_set_action_name (toast, "win.test-connection");
  burrow_window_add_toast (BURROW_WINDOW (root), toast);
}

static void
on_forget_key_response (BurrowConnectionPage  *self,
                        const char            *response,
                        BurrowForgetKeyDialog *dialog)
{
  const char *host = burrow_forget_key_dialog_get_host (dialog);
  guint16 port = burrow_forget_key_dialog_get_port (dialog);
  Forgetting *forgetting;

  if (!g_str_equal (response, BURROW_FORGET_KEY_RESPONSE_FORGET))
    return;

  forgetting = g_new0 (Forgetting, 1);
  forgetting->self = g_object_ref (self);
  forgetting->server = burrow_host_key_dialog_dup_server_name (host, port);
  burrow_engine_forget_host_key_async (self->engine, host, port, self->cancellable,
                                       on_host_key_forgotten, forgetting);
}

/* "Forget…" for one server of the tunnel: asked first, with both
 * fingerprints when a test met a different key there. */
static void
page_forget_host_key (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BurrowConnectionPage *self = BURROW_CONNECTION_PAGE (widget);
  BurrowHostKey *seen = self->seen_key;
  BurrowForgetKeyDialog *dialog;
  const char *host;
  guint16 port;

  g_variant_get (parameter, "(&sq)", &host, &port);

  /* A connect that stopped at the changed key knows it too. */
  if (seen == NULL && self->connection != NULL)
    seen = burrow_connection_get_host_key (self->connection);

  dialog = burrow_forget_key_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), host, port, seen);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_forget_key_response), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
page_test (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  burrow_connection_page_test (BURROW_CONNECTION_PAGE (widget));
}

static void
page_show_guide (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  BurrowConnectionPage *self = BURROW_CONNECTION_PAGE (widget);
  BurrowKeyGuideWindow *guide;

  guide = burrow_key_guide_window_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->engine, self->draft);
  g_signal_connect_object (guide, "test-again", G_CALLBACK (on_guide_test_again), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (guide));
}

static void
page_toggle_connection (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  burrow_connection_page_toggle_connection (BURROW_CONNECTION_PAGE (widget));
}

/* "Use Port N" on the banner: the tunnel moves to a free port, saved,
 * and connects there. */
static void
page_use_port (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BurrowConnectionPage *self = BURROW_CONNECTION_PAGE (widget);

  burrow_profile_set_local_port (self->draft, g_variant_get_uint32 (parameter));
  self->connect_after_save = TRUE;
  save_now_async (self, NULL, on_saved, NULL);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
burrow_connection_page_constructed (GObject *object)
{
  BurrowConnectionPage *self = (BurrowConnectionPage *)object;

  G_OBJECT_CLASS (burrow_connection_page_parent_class)->constructed (object);

  g_assert (BURROW_IS_ENGINE (self->engine));

  if (self->connection != NULL)
    {
      BurrowConnection *connection = g_steal_pointer (&self->connection);

      self->draft = burrow_profile_copy (burrow_connection_get_profile (connection), FALSE);
      set_connection (self, connection);
      g_object_unref (connection);
    }
  else
    {
      self->draft = self->start != NULL ? burrow_profile_copy (self->start, FALSE) : burrow_profile_new ();
      self->baseline = burrow_profile_copy (self->draft, FALSE);
    }

  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    {
      burrow_form_group_set_profile (self->groups[i], self->draft);
      g_signal_connect_object (self->groups[i], "notify::secrets-edited",
                               G_CALLBACK (on_group_notify_secrets_edited), self, G_CONNECT_SWAPPED);
    }

  g_signal_connect_object (self->draft, "notify", G_CALLBACK (on_draft_notify), self, G_CONNECT_SWAPPED);

  if (self->connection != NULL)
    load_secrets (self);

  update_title (self);
  /* A saved connection shows all it lacks; a new form waits for edits. */
  revalidate (self, self->connection != NULL);
}

/* Out of the window (another page chosen, or the window closed): what the
 * page started stops now. Its callbacks hold it alive, so dispose alone
 * would come too late. */
static void
burrow_connection_page_unroot (GtkWidget *widget)
{
  BurrowConnectionPage *self = BURROW_CONNECTION_PAGE (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  GTK_WIDGET_CLASS (burrow_connection_page_parent_class)->unroot (widget);
}

static void
burrow_connection_page_dispose (GObject *object)
{
  BurrowConnectionPage *self = (BurrowConnectionPage *)object;

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), BURROW_TYPE_CONNECTION_PAGE);

  g_clear_object (&self->connection);
  g_clear_object (&self->draft);
  g_clear_object (&self->baseline);
  g_clear_object (&self->seen_key);
  g_clear_object (&self->start);
  g_clear_object (&self->engine);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->problems, g_ptr_array_unref);

  G_OBJECT_CLASS (burrow_connection_page_parent_class)->dispose (object);
}

static void
burrow_connection_page_finalize (GObject *object)
{
  BurrowConnectionPage *self = (BurrowConnectionPage *)object;

  g_clear_pointer (&self->title, g_free);

  G_OBJECT_CLASS (burrow_connection_page_parent_class)->finalize (object);
}

static void
burrow_connection_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  BurrowConnectionPage *self = BURROW_CONNECTION_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;

    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_START:
      g_value_set_object (value, self->start);
      break;

    case PROP_DRAFT:
      g_value_set_object (value, self->draft);
      break;

    case PROP_DIRTY:
      g_value_set_boolean (value, self->dirty);
      break;

    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, burrow_connection_page_get_busy (self));
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_connection_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  BurrowConnectionPage *self = BURROW_CONNECTION_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;

    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    case PROP_START:
      self->start = g_value_dup_object (value);
      break;

    case PROP_FOLDED:
      if (self->folded != g_value_get_boolean (value))
        {
          self->folded = g_value_get_boolean (value);
          gtk_widget_set_visible (GTK_WIDGET (self->back_button), self->folded);
          adw_header_bar_set_show_start_title_buttons (self->header_bar, self->folded);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_connection_page_class_init (BurrowConnectionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = burrow_connection_page_constructed;
  object_class->dispose = burrow_connection_page_dispose;
  object_class->finalize = burrow_connection_page_finalize;
  object_class->get_property = burrow_connection_page_get_property;
  object_class->set_property = burrow_connection_page_set_property;

  widget_class->unroot = burrow_connection_page_unroot;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, BURROW_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* %NULL for a connection not saved yet; set once it is. */
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, BURROW_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  /* What a new connection's form starts with (its keepalive, an import). */
  properties[PROP_START] =
    g_param_spec_object ("start", NULL, NULL, BURROW_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DRAFT] =
    g_param_spec_object ("draft", NULL, NULL, BURROW_TYPE_PROFILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The window is one column: the header gets a back button. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BURROW_TYPE_DATABASE_GROUP);
  g_type_ensure (BURROW_TYPE_ENDPOINT_GROUP);
  g_type_ensure (BURROW_TYPE_STATE_BANNER);
  g_type_ensure (BURROW_TYPE_TUNNEL_GROUP);
  g_type_ensure (BURROW_TYPE_USAGE_GROUP);

  gtk_widget_class_install_action (widget_class, "page.save", NULL, page_save);
  gtk_widget_class_install_action (widget_class, "page.test", NULL, page_test);
  gtk_widget_class_install_action (widget_class, "page.show-guide", NULL, page_show_guide);
  gtk_widget_class_install_action (widget_class, "page.toggle-connection", NULL, page_toggle_connection);
  gtk_widget_class_install_action (widget_class, "page.use-port", "u", page_use_port);
  gtk_widget_class_install_action (widget_class, "page.forget-host-key", "(sq)", page_forget_host_key);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/burrow-connection-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionPage, header_bar);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionPage, connect_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionPage, test_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionPage, banner);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionPage, preferences_page);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionPage, database_group);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionPage, tunnel_group);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionPage, endpoint_group);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionPage, usage_group);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionPage, delete_group);
  gtk_widget_class_bind_template_child (widget_class, BurrowConnectionPage, delete_button);
}

static void
burrow_connection_page_init (BurrowConnectionPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->problems = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  burrow_accessible_keep_label (GTK_WIDGET (self->test_button));
  burrow_accessible_name_button (GTK_WIDGET (self->save_button), NULL);
  burrow_accessible_name_button (GTK_WIDGET (self->delete_button), _("Delete connection"));

  self->groups[0] = self->database_group;
  self->groups[1] = self->tunnel_group;
  self->groups[2] = self->endpoint_group;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  adw_header_bar_set_show_start_title_buttons (self->header_bar, FALSE);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

/**
 * burrow_connection_page_new:
 * @connection: (nullable): the saved connection; %NULL for a new one
 * @start: (nullable): what a new connection's form starts with
 */
GtkWidget *
burrow_connection_page_new (BurrowEngine     *engine,
                            BurrowConnection *connection,
                            BurrowProfile    *start)
{
  g_return_val_if_fail (BURROW_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (connection == NULL || BURROW_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (start == NULL || BURROW_IS_PROFILE (start), NULL);

  return g_object_new (BURROW_TYPE_CONNECTION_PAGE,
                       "engine", engine,
                       "connection", connection,
                       "start", start,
                       NULL);
}

BurrowEngine *
burrow_connection_page_get_engine (BurrowConnectionPage *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_PAGE (self), NULL);

  return self->engine;
}

BurrowConnection *
burrow_connection_page_get_connection (BurrowConnectionPage *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_PAGE (self), NULL);

  return self->connection;
}

BurrowProfile *
burrow_connection_page_get_draft (BurrowConnectionPage *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_PAGE (self), NULL);

  return self->draft;
}

/* Whether leaving the page would lose something typed. */
gboolean
burrow_connection_page_get_dirty (BurrowConnectionPage *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_PAGE (self), FALSE);

  return self->dirty;
}

gboolean
burrow_connection_page_get_valid (BurrowConnectionPage *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_PAGE (self), FALSE);

  return self->valid;
}

/* Whether a save or a test is under way. */
gboolean
burrow_connection_page_get_busy (BurrowConnectionPage *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_PAGE (self), FALSE);

  return self->saving || self->testing;
}

const char *
burrow_connection_page_get_title (BurrowConnectionPage *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_PAGE (self), NULL);

  return self->title;
}

/* Returns: (transfer container) (element-type GError): what keeps the
 * draft from being saved, first problem first */
GPtrArray *
burrow_connection_page_dup_problems (BurrowConnectionPage *self)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_PAGE (self), NULL);

  return g_ptr_array_ref (self->problems);
}

static void
on_engine_saved (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowConnectionPage *self = g_task_get_source_object (task);
  g_autoptr(BurrowConnection) connection = NULL;
  GError *error = NULL;

  self->saving = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  connection = burrow_engine_save_finish (BURROW_ENGINE (source), result, &error);
  if (connection == NULL)
    {
      revalidate (self, TRUE);
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (self->groups); i++)
    burrow_form_group_mark_secrets_saved (self->groups[i]);

  if (self->connection == NULL)
    set_connection (self, connection);

  /* The store may have added to what was sent (an automatic port). */
  burrow_profile_assign (self->draft, burrow_connection_get_profile (connection));
  revalidate (self, TRUE);

  g_task_return_pointer (task, g_steal_pointer (&connection), g_object_unref);
}

/* Saves the draft and the secrets typed, through the engine, as they
 * are. A save is not cancelled halfway: @cancellable only drops the
 * answer. */
static void
save_now_async (BurrowConnectionPage *self,
                GCancellable         *cancellable,
                GAsyncReadyCallback   callback,
                gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(BurrowCredentials) credentials = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, save_now_async);

  if (self->saving)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, "%s", _("A save is under way already"));
      return;
    }

  if (!self->valid)
    {
      revalidate (self, TRUE);
      g_task_return_error (task, g_error_copy (g_ptr_array_index (self->problems, 0)));
      return;
    }

  credentials = credentials_from_form (self);
  self->saving = TRUE;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  burrow_engine_save_async (self->engine, credentials, NULL, on_engine_saved, g_steal_pointer (&task));
}

static BurrowConnection *
save_now_finish (BurrowConnectionPage  *self,
                 GAsyncResult          *result,
                 GError               **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_saved_now (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  BurrowConnection *connection;

  connection = save_now_finish (BURROW_CONNECTION_PAGE (source), result, &error);
  if (connection == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, connection, g_object_unref);
}

static void
on_tested_before_save (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BurrowConnectionPage *self = g_task_get_source_object (task);
  GError *error = NULL;

  set_testing (self, FALSE);
  if (!burrow_probe_dialog_test_before_save_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  save_now_async (self, NULL, on_saved_now, g_steal_pointer (&task));
}

/**
 * burrow_connection_page_save_async:
 *
 * What Save does, from the page's button or from the question on
 * leaving it. As Metamapper does, a changed database or tunnel is tested
 * first, in the test dialog, and saved when every step passed or the
 * analyst chose "Save Anyway"; closing the dialog instead finishes with
 * G_IO_ERROR_CANCELLED and saves nothing. Any other change is saved at
 * once. A save is not cancelled halfway: @cancellable only drops the
 * answer.
 */
void
burrow_connection_page_save_async (BurrowConnectionPage *self,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(BurrowCredentials) credentials = NULL;

  g_return_if_fail (BURROW_IS_CONNECTION_PAGE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, burrow_connection_page_save_async);

  if (!self->valid || self->saving || self->testing || !route_changed (self))
    {
      save_now_async (self, NULL, on_saved_now, g_steal_pointer (&task));
      return;
    }

  credentials = credentials_from_form (self);
  set_testing (self, TRUE);
  burrow_probe_dialog_test_before_save_async (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->engine,
                                              credentials, self->cancellable,
                                              on_tested_before_save, g_steal_pointer (&task));
}

/* Returns: (transfer full): the saved connection */
BurrowConnection *
burrow_connection_page_save_finish (BurrowConnectionPage *self,
                                    GAsyncResult         *result,
                                    GError              **error)
{
  g_return_val_if_fail (BURROW_IS_CONNECTION_PAGE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Forgets what was typed: the draft is the saved connection again. */
void
burrow_connection_page_discard (BurrowConnectionPage *self)
{
  g_return_if_fail (BURROW_IS_CONNECTION_PAGE (self));

  if (saved_profile (self) != NULL)
    burrow_profile_assign (self->draft, saved_profile (self));
  revalidate (self, self->connection != NULL);
}

/* Connect (saving first when the form has changes) or disconnect. */
void
burrow_connection_page_toggle_connection (BurrowConnectionPage *self)
{
  g_return_if_fail (BURROW_IS_CONNECTION_PAGE (self));

  if (is_running (self))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.disconnect", "s",
                                  burrow_connection_get_id (self->connection));
      return;
    }

  if (!self->valid || !burrow_profile_get_tunnel_enabled (self->draft) ||
      (self->connection != NULL && burrow_connection_state_is_elsewhere (self->connection)))
    return;

  /* Connecting is its own test: its failure shows in the banner. */
  if (self->connection == NULL || self->dirty)
    {
      self->connect_after_save = TRUE;
      save_now_async (self, NULL, on_saved, NULL);
      return;
    }

  gtk_widget_activate_action (GTK_WIDGET (self), "win.connect", "s",
                              burrow_connection_get_id (self->connection));
}

/* Opens the test dialog on the form as it is (saved or not, with the
 * secrets typed) and runs it. */
void
burrow_connection_page_test (BurrowConnectionPage *self)
{
  g_return_if_fail (BURROW_IS_CONNECTION_PAGE (self));

  if (self->testing || !self->valid)
    return;

  open_probe_dialog (self, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
}

static const char *
find_port_problem (GtkWidget *widget)
{
  if (BURROW_IS_PORT_ROW (widget))
    return burrow_port_row_get_problem (BURROW_PORT_ROW (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *problem = find_port_problem (child);

      if (problem != NULL)
        return problem;
    }

  return NULL;
}

/* Why the form cannot be saved yet, the first problem's cause; %NULL
 * when it can. Letters in a port field come first: the profile sees
 * only port 0 there. */
char *
burrow_connection_page_dup_invalid_reason (BurrowConnectionPage *self)
{
  const char *port_problem;

  g_return_val_if_fail (BURROW_IS_CONNECTION_PAGE (self), NULL);

  if (self->valid || self->problems == NULL || self->problems->len == 0)
    return NULL;

  port_problem = find_port_problem (GTK_WIDGET (self));
  if (port_problem != NULL)
    return g_strdup (port_problem);

  return burrow_error_dup_cause (g_ptr_array_index (self->problems, 0));
}
