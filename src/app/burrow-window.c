/* burrow-window.c — the main window: the connections and the one shown.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A leaflet: the list of connections on the left, the page of the one
 * chosen on the right; one column on a narrow window. The window builds
 * nothing itself: the list binds to the engine's connections, and every
 * operation is the engine's, started here with the window's cancellable
 * (closing the window cancels what it started, but for a connect, which
 * the background keeps, and a save, which is never cut off halfway). Leaving a page with unsaved changes asks first. Deleting
 * removes the connection at once and offers Undo; its secrets leave the
 * keyring only when the toast is gone.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-accessible.h"
#include "burrow-connection-list.h"
#include "burrow-connection-page.h"
#include "burrow-ssh-import-dialog.h"
#include "burrow-window.h"

typedef void (*Continuation) (BurrowWindow *self,
                              gpointer      data);

typedef struct
{
  BurrowWindow   *self;
  Continuation    func;
  gpointer        data;
  GDestroyNotify  destroy;
} Leave;

typedef struct
{
  BurrowWindow   *self;       /* weak */
  BurrowEngine   *engine;
  char           *id;
  char           *name;
  BurrowProfile  *profile;
  AdwToast       *toast;
  gboolean        settled;    /* undone, or its secrets let go */
} Deletion;

struct _BurrowWindow
{
  AdwApplicationWindow  parent_instance;

  BurrowEngine         *engine;
  GSettings            *settings;
  GCancellable         *cancellable;
  GtkWidget            *add_button;
  GtkWidget            *import_button;
  GtkWidget            *page;
  GPtrArray            *deletions;
  gboolean              close_confirmed;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *empty_page;
  AdwLeaflet           *leaflet;
  AdwHeaderBar         *sidebar_header;
  GtkToggleButton      *search_button;
  BurrowConnectionList *connection_list;
  GtkStack             *content_stack;
  AdwHeaderBar         *none_header;
};

G_DEFINE_FINAL_TYPE (BurrowWindow, burrow_window, ADW_TYPE_APPLICATION_WINDOW)

static void set_page (BurrowWindow *self, GtkWidget *page);

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void
toast (BurrowWindow *self,
       const char   *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/* "@what: cause", the hint left to the row, the banner or the page. */
static void
toast_error (BurrowWindow *self,
             const char   *what,
             const GError *error)
{
  g_autofree char *cause = burrow_error_dup_cause (error);
  g_autofree char *title = NULL;

  /* Translators: what did not happen, and why: "Not saved: the disk is full" */
  title = g_strdup_printf (_("%s: %s"), what, cause);
  toast (self, title);
}

static BurrowConnection *
page_connection (BurrowWindow *self)
{
  return self->page != NULL ? burrow_connection_page_get_connection (BURROW_CONNECTION_PAGE (self->page)) : NULL;
}

static void
update_main_stack (BurrowWindow *self)
{
  gboolean empty = g_list_model_get_n_items (burrow_engine_get_connections (self->engine)) == 0 &&
                   self->page == NULL;

  gtk_stack_set_visible_child_name (self->main_stack, empty ? "empty" : "connections");
}

static void
update_page_actions (BurrowWindow *self)
{
  static const char *page_actions[] = { "save", "test-connection", "toggle-connection" };

  for (guint i = 0; i < G_N_ELEMENTS (page_actions); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), page_actions[i]);

      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), self->page != NULL);
    }
}

/* ------------------------------------------------------------------ */
/* Leaving a page with unsaved changes                                 */
/* ------------------------------------------------------------------ */

static void
leave_free (Leave *leave)
{
  if (leave->destroy != NULL && leave->data != NULL)
    leave->destroy (leave->data);
  g_object_unref (leave->self);
  g_free (leave);
}

static void
leave_go (Leave *leave)
{
  leave->func (leave->self, leave->data);
  leave_free (leave);
}

/* The list shows the page's connection again after "Cancel". */
static void
leave_stay (Leave *leave)
{
  burrow_connection_list_select (leave->self->connection_list, page_connection (leave->self));
  leave_free (leave);
}

static void
on_leave_saved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Leave *leave = user_data;
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = burrow_connection_page_save_finish (BURROW_CONNECTION_PAGE (source), result, &error);
  if (connection == NULL)
    {
      /* Closing the test dialog before saving is a Cancel. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast_error (leave->self, _("Not saved"), error);
      leave_stay (leave);
      return;
    }

  leave_go (leave);
}

static void
on_leave_response (AdwMessageDialog *dialog,
                   const char       *response,
                   Leave            *leave)
{
  if (g_str_equal (response, "save") && leave->self->page != NULL)
    burrow_connection_page_save_async (BURROW_CONNECTION_PAGE (leave->self->page), NULL,
                                       on_leave_saved, leave);
  else if (g_str_equal (response, "discard"))
    {
      if (leave->self->page != NULL)
        burrow_connection_page_discard (BURROW_CONNECTION_PAGE (leave->self->page));
      leave_go (leave);
    }
  else
    leave_stay (leave);
}

/* Runs @func once the shown page can be left: at once when it has
 * nothing unsaved, or after Save or Discard; never after Cancel. */
static void
leave_page (BurrowWindow   *self,
            Continuation    func,
            gpointer        data,
            GDestroyNotify  destroy)
{
  Leave *leave = g_new0 (Leave, 1);
  g_autofree char *reason = NULL;
  GtkWidget *dialog;
  BurrowConnectionPage *page = self->page != NULL ? BURROW_CONNECTION_PAGE (self->page) : NULL;

  leave->self = g_object_ref (self);
  leave->func = func;
  leave->data = data;
  leave->destroy = destroy;

  if (page == NULL || !burrow_connection_page_get_dirty (page))
    {
      leave_go (leave);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"), NULL);
  reason = burrow_connection_page_dup_invalid_reason (page);
  if (reason == NULL)
    /* Translators: %s is a connection's name */
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("“%s” has changes that are not saved. They are lost unless you save them."),
                                    burrow_connection_page_get_title (page));
  else
    /* Translators: %s is a connection's name, then why it cannot be saved yet */
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("“%s” has changes that are not saved, and they cannot be saved yet: %s. "
                                      "Cancel to correct them, or discard them."),
                                    burrow_connection_page_get_title (page), reason);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save",
                                           burrow_connection_page_get_valid (page));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_leave_response), leave);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------ */
/* Pages                                                               */
/* ------------------------------------------------------------------ */

static void
on_page_notify_connection (BurrowWindow *self,
                           GParamSpec   *pspec,
                           GtkWidget    *page)
{
  /* A new connection was saved: the list shows it chosen. */
  if (page == self->page)
    burrow_connection_list_select (self->connection_list, page_connection (self));
}

static void
set_page (BurrowWindow *self,
          GtkWidget    *page)
{
  GtkWidget *old = self->page;

  self->page = page;

  if (page != NULL)
    {
      g_object_bind_property (self->leaflet, "folded", page, "folded", G_BINDING_SYNC_CREATE);
      g_signal_connect_object (page, "notify::connection", G_CALLBACK (on_page_notify_connection),
                               self, G_CONNECT_SWAPPED);
      gtk_stack_add_child (self->content_stack, page);
      gtk_stack_set_visible_child (self->content_stack, page);
      adw_leaflet_set_visible_child_name (self->leaflet, "content");
    }
  else
    {
      gtk_stack_set_visible_child_name (self->content_stack, "none");
      adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
    }

  if (old != NULL)
    gtk_stack_remove (self->content_stack, old);

  update_page_actions (self);
  update_main_stack (self);
}

static void
show_connection (BurrowWindow *self,
                 gpointer      data)
{
  BurrowConnection *connection = data;

  if (connection == NULL)
    {
      set_page (self, NULL);
      return;
    }

  if (connection == page_connection (self))
    {
      adw_leaflet_set_visible_child_name (self->leaflet, "content");
      return;
    }

  set_page (self, burrow_connection_page_new (self->engine, connection, NULL));
}

static void
show_new (BurrowWindow *self,
          gpointer      data)
{
  BurrowProfile *start = data;
  g_autoptr(BurrowProfile) fresh = NULL;

  if (start == NULL)
    {
      fresh = burrow_profile_new ();
      burrow_profile_set_db_port (fresh, burrow_db_kind_get_default_port (burrow_profile_get_db_kind (fresh)));
      burrow_profile_set_keepalive_interval (fresh, g_settings_get_uint (self->settings, "keepalive-interval"));
      start = fresh;
    }

  burrow_connection_list_select (self->connection_list, NULL);
  set_page (self, burrow_connection_page_new (self->engine, NULL, start));
}

static void
on_connection_list_notify_selected_connection (BurrowWindow *self)
{
  BurrowConnection *connection = burrow_connection_list_get_selected_connection (self->connection_list);

  if (connection == page_connection (self) && (connection != NULL || self->page == NULL))
    return;

  /* Nothing chosen any more (the connection went away elsewhere): a
   * new form stays where it is. */
  if (connection == NULL && self->page != NULL && page_connection (self) == NULL)
    return;

  leave_page (self, show_connection, connection != NULL ? g_object_ref (connection) : NULL, g_object_unref);
}

static void
on_connections_items_changed (BurrowWindow *self)
{
  BurrowConnection *shown = page_connection (self);

  /* The shown connection was removed by another process. */
  if (shown != NULL && burrow_engine_lookup (self->engine, burrow_connection_get_id (shown)) != shown)
    set_page (self, NULL);

  update_main_stack (self);
}

/* ------------------------------------------------------------------ */
/* Engine operations                                                   */
/* ------------------------------------------------------------------ */

static BurrowConnection *
lookup (BurrowWindow *self,
        GVariant     *parameter)
{
  return burrow_engine_lookup (self->engine, g_variant_get_string (parameter, NULL));
}

typedef struct
{
  BurrowWindow     *self;
  BurrowConnection *connection;
} ConnectRequest;

static void
connect_request_free (ConnectRequest *request)
{
  g_object_unref (request->self);
  g_object_unref (request->connection);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConnectRequest, connect_request_free)

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ConnectRequest) request = user_data;
  g_autoptr(GError) error = NULL;

  if (burrow_engine_connect_finish (BURROW_ENGINE (source), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (request->self->cancellable))
    return;

  /* The row and the banner show a failure the connection keeps; one it
   * does not keep (nothing to connect) is said here. */
  if (burrow_connection_get_error (request->connection) == NULL)
    toast_error (request->self, _("Not connected"), error);
}

static void
win_connect (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  BurrowWindow *self = user_data;
  BurrowConnection *connection = lookup (self, parameter);
  ConnectRequest *request;

  if (connection == NULL)
    return;

  request = g_new0 (ConnectRequest, 1);
  request->self = g_object_ref (self);
  request->connection = g_object_ref (connection);
  /* Not the window's cancellable: closing the window is no Disconnect,
   * and with "run in background" the tunnel stays up without it. */
  burrow_engine_connect_async (self->engine, connection, NULL, on_connected, request);
}

static void
win_disconnect (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  BurrowWindow *self = user_data;
  BurrowConnection *connection = lookup (self, parameter);

  if (connection != NULL)
    burrow_engine_disconnect_async (self->engine, connection, NULL, NULL, NULL);
}

static void
win_retry_now (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  BurrowWindow *self = user_data;
  BurrowConnection *connection = lookup (self, parameter);

  if (connection != NULL)
    burrow_engine_retry_now (self->engine, connection);
}

static void
win_save (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  BurrowWindow *self = user_data;

  if (self->page != NULL)
    gtk_widget_activate_action (self->page, "page.save", NULL);
}

static void
win_test_connection (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  BurrowWindow *self = user_data;

  if (self->page != NULL)
    burrow_connection_page_test (BURROW_CONNECTION_PAGE (self->page));
}

static void
win_toggle_connection (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  BurrowWindow *self = user_data;

  if (self->page != NULL)
    burrow_connection_page_toggle_connection (BURROW_CONNECTION_PAGE (self->page));
}

static void
win_add_connection (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  leave_page (user_data, show_new, NULL, NULL);
}

static void
on_import_dialog_imported (BurrowWindow     *self,
                           BurrowConnection *connection)
{
  /* Imported: toast. The list's choice then asks about unsaved changes
   * on the page shown, as any change of page does. */
  g_autofree char *message = NULL;

  /* Translators: %s is a connection's name */
  message = g_strdup_printf (_("The SSH tunnel of “%s” is set"), burrow_connection_get_name (connection));
  toast (self, message);
  burrow_connection_list_select (self->connection_list, connection);
}

static void
win_import_ssh_config (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  BurrowWindow *self = user_data;
  GtkWidget *dialog;

  dialog = burrow_ssh_import_dialog_new (GTK_WINDOW (self), self->engine, NULL, page_connection (self));
  g_signal_connect_object (dialog, "imported", G_CALLBACK (on_import_dialog_imported), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
win_search (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  BurrowWindow *self = user_data;
  gboolean search = !burrow_connection_list_get_search_mode (self->connection_list);

  if (g_list_model_get_n_items (burrow_engine_get_connections (self->engine)) == 0)
    return;

  gtk_stack_set_visible_child_name (self->main_stack, "connections");
  if (search)
    adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
  burrow_connection_list_set_search_mode (self->connection_list, search);
}

static void
win_go_back (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  BurrowWindow *self = user_data;

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
win_show_toast (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  toast (user_data, g_variant_get_string (parameter, NULL));
}

static void
win_close (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
}

static void
on_identity_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(BurrowIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  BurrowWindow *self;

  identity = burrow_engine_load_identity_finish (BURROW_ENGINE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  if (identity == NULL)
    {
      toast_error (self, _("No public key"), error);
      return;
    }

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), burrow_identity_get_public_key (identity));
  toast (self, _("Burrow’s public key copied"));
}

static void
win_copy_public_key (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  BurrowWindow *self = user_data;

  burrow_engine_load_identity_async (self->engine, self->cancellable, on_identity_loaded, self);
}

/* ------------------------------------------------------------------ */
/* Deleting, with Undo                                                 */
/* ------------------------------------------------------------------ */

static void
deletion_free (Deletion *deletion)
{
  if (deletion->self != NULL)
    g_object_remove_weak_pointer (G_OBJECT (deletion->self), (gpointer *)&deletion->self);
  g_clear_object (&deletion->engine);
  g_clear_object (&deletion->profile);
  g_clear_object (&deletion->toast);
  g_free (deletion->id);
  g_free (deletion->name);
  g_free (deletion);
}

static void
on_secrets_forgotten (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GApplication *application = user_data;
  g_autoptr(GError) error = NULL;

  if (!burrow_engine_forget_secrets_finish (BURROW_ENGINE (source), result, &error))
    g_warning ("The secrets of a deleted connection stayed in the keyring: %s", error->message);

  g_application_release (application);
  g_object_unref (application);
}

/* The toast is gone without Undo: the secrets go too. The application
 * stays until the keyring has answered, even when this was the last
 * window closing. */
static void
deletion_settle (Deletion *deletion)
{
  GApplication *application = g_application_get_default ();

  if (deletion->settled)
    return;

  deletion->settled = TRUE;
  if (application != NULL)
    g_application_hold (application);
  burrow_engine_forget_secrets_async (deletion->engine, deletion->id, NULL, on_secrets_forgotten,
                                      application != NULL ? g_object_ref (application) : NULL);
}

static void
on_deletion_toast_dismissed (AdwToast *toast,
                             Deletion *deletion)
{
  deletion_settle (deletion);

  if (deletion->self != NULL)
    g_ptr_array_remove (deletion->self->deletions, deletion);
}

static void
on_restored (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BurrowWindow) self = user_data;
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = burrow_engine_save_finish (BURROW_ENGINE (source), result, &error);

  if (connection == NULL)
    {
      toast_error (self, _("Not restored"), error);
      return;
    }

  burrow_connection_list_select (self->connection_list, connection);
}

static void
on_deletion_toast_button_clicked (AdwToast *toast,
                                  Deletion *deletion)
{
  g_autoptr(BurrowCredentials) credentials = NULL;

  if (deletion->settled || deletion->self == NULL)
    return;

  /* Saving the same profile again brings it back whole: the keyring
   * kept its secrets under the same id. */
  deletion->settled = TRUE;
  credentials = burrow_credentials_new (deletion->profile);
  burrow_engine_save_async (deletion->engine, credentials, NULL, on_restored, g_object_ref (deletion->self));
}

static void
on_removed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Deletion *deletion = user_data;
  g_autoptr(GError) error = NULL;
  BurrowWindow *self = deletion->self;

  if (!burrow_engine_remove_finish (BURROW_ENGINE (source), result, &error))
    {
      if (self != NULL)
        toast_error (self, _("Not deleted"), error);
      deletion_free (deletion);
      return;
    }

  if (self == NULL)
    {
      deletion_settle (deletion);
      deletion_free (deletion);
      return;
    }

  /* Translators: %s is a connection's name */
  deletion->toast = g_object_ref (adw_toast_new_format (_("“%s” deleted"), deletion->name));
  adw_toast_set_button_label (deletion->toast, _("_Undo"));
  adw_toast_set_priority (deletion->toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect (deletion->toast, "button-clicked", G_CALLBACK (on_deletion_toast_button_clicked), deletion);
  g_signal_connect (deletion->toast, "dismissed", G_CALLBACK (on_deletion_toast_dismissed), deletion);
  g_ptr_array_add (self->deletions, deletion);
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (deletion->toast));
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    BurrowWindow     *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "connection-id");
  BurrowConnection *connection = burrow_engine_lookup (self->engine, id);
  Deletion *deletion;

  if (!g_str_equal (response, "delete") || connection == NULL)
    return;

  deletion = g_new0 (Deletion, 1);
  deletion->self = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *)&deletion->self);
  deletion->engine = g_object_ref (self->engine);
  deletion->id = g_strdup (id);
  deletion->name = g_strdup (burrow_connection_get_name (connection));
  deletion->profile = burrow_profile_copy (burrow_connection_get_profile (connection), FALSE);

  /* The page goes with the connection, whatever it held unsaved. */
  if (page_connection (self) == connection)
    set_page (self, NULL);

  burrow_engine_remove_async (self->engine, connection, BURROW_ENGINE_REMOVE_KEEP_SECRETS, NULL,
                              on_removed, deletion);
}

static void
win_delete_connection (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  BurrowWindow *self = user_data;
  BurrowConnection *connection = lookup (self, parameter);
  GtkWidget *dialog;

  if (connection == NULL)
    return;

  /* Translators: %s is a connection's name */
  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL,
                                   _("Its settings go, and its tunnel stops. The passwords and keys Burrow kept for it leave the keyring."));
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Delete “%s”?"),
                                     burrow_connection_get_name (connection));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "connection-id",
                          g_strdup (burrow_connection_get_id (connection)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Every deletion still offering Undo ends now: its secrets go. */
static void
settle_deletions (BurrowWindow *self)
{
  while (self->deletions->len > 0)
    {
      Deletion *deletion = g_ptr_array_steal_index (self->deletions, self->deletions->len - 1);

      g_signal_handlers_disconnect_by_data (deletion->toast, deletion);
      deletion_settle (deletion);
      deletion_free (deletion);
    }
}

static const GActionEntry win_actions[] = {
  { "add-connection", win_add_connection },
  { "import-ssh-config", win_import_ssh_config },
  { "search", win_search },
  { "save", win_save },
  { "test-connection", win_test_connection },
  { "toggle-connection", win_toggle_connection },
  { "connect", win_connect, "s" },
  { "disconnect", win_disconnect, "s" },
  { "retry-now", win_retry_now, "s" },
  { "delete-connection", win_delete_connection, "s" },
  { "go-back", win_go_back },
  { "show-toast", win_show_toast, "s" },
  { "copy-public-key", win_copy_public_key },
  { "close", win_close },
};

/* ------------------------------------------------------------------ */
/* Engine signals                                                      */
/* ------------------------------------------------------------------ */

static void
on_engine_file_problem (BurrowWindow *self,
                        const GError *error)
{
  g_autofree char *cause = burrow_error_dup_cause (error);
  AdwToast *problem = adw_toast_new (cause);

  /* It names where the broken file went: it stays until read. */
  adw_toast_set_timeout (problem, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, problem);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
close_now (BurrowWindow *self,
           gpointer      data)
{
  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
burrow_window_close_request (GtkWindow *window)
{
  BurrowWindow *self = BURROW_WINDOW (window);

  if (!self->close_confirmed && self->page != NULL &&
      burrow_connection_page_get_dirty (BURROW_CONNECTION_PAGE (self->page)))
    {
      leave_page (self, close_now, NULL, NULL);
      return TRUE;
    }

  settle_deletions (self);
  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (burrow_window_parent_class)->close_request (window);
}

static void
burrow_window_dispose (GObject *object)
{
  BurrowWindow *self = (BurrowWindow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->deletions != NULL)
    settle_deletions (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), BURROW_TYPE_WINDOW);

  self->page = NULL;
  g_clear_object (&self->cancellable);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->deletions, g_ptr_array_unref);

  G_OBJECT_CLASS (burrow_window_parent_class)->dispose (object);
}

static void
burrow_window_class_init (BurrowWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = burrow_window_dispose;

  window_class->close_request = burrow_window_close_request;

  g_type_ensure (BURROW_TYPE_CONNECTION_LIST);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/burrow-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BurrowWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BurrowWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, BurrowWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, BurrowWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowWindow, import_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BurrowWindow, sidebar_header);
  gtk_widget_class_bind_template_child (widget_class, BurrowWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowWindow, connection_list);
  gtk_widget_class_bind_template_child (widget_class, BurrowWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, BurrowWindow, none_header);
}

static void
burrow_window_init (BurrowWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->deletions = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  burrow_accessible_name_button (self->add_button, NULL);
  burrow_accessible_name_button (self->import_button, NULL);

  /* The development build shows the striped header bar, so that it cannot be
   * mistaken for the installed Burrow. */
  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  adw_status_page_set_icon_name (self->empty_page, BASE_APP_ID "-symbolic");

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);

  /* In one column the window's buttons go to whichever header shows. */
  g_object_bind_property (self->leaflet, "folded", self->sidebar_header, "show-end-title-buttons",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->leaflet, "folded", self->none_header, "show-start-title-buttons",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->search_button, "active", self->connection_list, "search-mode",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->connection_list, "notify::selected-connection",
                           G_CALLBACK (on_connection_list_notify_selected_connection), self,
                           G_CONNECT_SWAPPED);
}

BurrowWindow *
burrow_window_new (BurrowApplication *application)
{
  BurrowWindow *self;
  GListModel *connections;
  const GError *load_error;

  g_return_val_if_fail (BURROW_IS_APPLICATION (application), NULL);

  self = g_object_new (BURROW_TYPE_WINDOW,
                       "application", application,
                       NULL);

  self->engine = g_object_ref (burrow_application_get_engine (application));
  self->settings = g_object_ref (burrow_application_get_settings (application));

  connections = burrow_engine_get_connections (self->engine);
  burrow_connection_list_set_model (self->connection_list, connections);
  g_signal_connect_object (connections, "items-changed", G_CALLBACK (on_connections_items_changed),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->engine, "file-problem", G_CALLBACK (on_engine_file_problem),
                           self, G_CONNECT_SWAPPED);

  load_error = burrow_application_get_load_error (application);
  if (load_error != NULL)
    on_engine_file_problem (self, load_error);

  update_page_actions (self);
  update_main_stack (self);

  /* Remember the size the analyst gave the window, not the one it opened at. */
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  return self;
}

/* Returns: (transfer none) (nullable): the BurrowConnectionPage shown */
GtkWidget *
burrow_window_get_page (BurrowWindow *self)
{
  g_return_val_if_fail (BURROW_IS_WINDOW (self), NULL);

  return self->page;
}

/* Returns: (transfer none): the BurrowConnectionList */
GtkWidget *
burrow_window_get_list (BurrowWindow *self)
{
  g_return_val_if_fail (BURROW_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->connection_list);
}

/* @toast: (transfer full) */
void
burrow_window_add_toast (BurrowWindow *self,
                         AdwToast     *toast)
{
  g_return_if_fail (BURROW_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Chooses @connection in the list, as a click would (unsaved changes on
 * the page shown are asked about first). */
void
burrow_window_show_connection (BurrowWindow     *self,
                               BurrowConnection *connection)
{
  g_return_if_fail (BURROW_IS_WINDOW (self));
  g_return_if_fail (BURROW_IS_CONNECTION (connection));

  burrow_connection_list_select (self->connection_list, connection);
}
