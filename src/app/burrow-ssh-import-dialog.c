/* burrow-ssh-import-dialog.c — a bastion from ~/.ssh/config, into a connection.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lists the Host entries as the engine reads them (libssh's own parser,
 * Include followed, patterns skipped), each with where it leads: the
 * user, host and port, the ProxyJump hops, the key file. An entry with a
 * ProxyCommand is shown but cannot be chosen, and says why: Burrow does
 * not run commands. The chosen entry becomes the tunnel of a new
 * connection or of an existing one, through the engine; "imported" then
 * names the connection.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "burrow-accessible.h"
#include "burrow-ssh-import-dialog.h"

struct _BurrowSshImportDialog
{
  AdwWindow         parent_instance;

  BurrowEngine     *engine;
  char             *path;
  BurrowConnection *into;
  GCancellable     *cancellable;
  GPtrArray        *hosts;       /* BurrowSshConfigHost */
  GPtrArray        *host_rows;
  GPtrArray        *into_ids;    /* the combo's items: NULL, then ids */
  GtkCheckButton   *group_check;
  gboolean          loaded;
  gboolean          importing;

  /* Template widgets */
  AdwWindowTitle   *window_title;
  GtkButton        *cancel_button;
  GtkButton        *import_button;
  AdwToastOverlay  *toast_overlay;
  GtkStack         *stack;
  GtkSpinner       *spinner;
  AdwPreferencesGroup *hosts_group;
  AdwComboRow      *into_row;
  AdwStatusPage    *nothing_page;
};

G_DEFINE_FINAL_TYPE (BurrowSshImportDialog, burrow_ssh_import_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_PATH,
  PROP_INTO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const BurrowSshConfigHost *
chosen_host (BurrowSshImportDialog *self)
{
  for (guint i = 0; self->host_rows != NULL && i < self->host_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->host_rows, i);
      GtkCheckButton *check = g_object_get_data (G_OBJECT (row), "check");

      if (check != NULL && gtk_check_button_get_active (check))
        return g_ptr_array_index (self->hosts, i);
    }

  return NULL;
}

static BurrowConnection *
chosen_into (BurrowSshImportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->into_row);

  /* The first item is "A new connection". The ids were taken when the
   * list was made: another process may have changed the list since. */
  if (selected == 0 || selected >= self->into_ids->len)
    return NULL;

  return burrow_engine_lookup (self->engine, g_ptr_array_index (self->into_ids, selected));
}

static void
update_import_button (BurrowSshImportDialog *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button),
                            !self->importing && chosen_host (self) != NULL);
}

static void
on_check_toggled (BurrowSshImportDialog *self)
{
  update_import_button (self);
}

/* ~/.ssh/id_bastion rather than the whole path: the row is narrow. */
static char *
dup_short_path (const char *path)
{
  const char *home = g_get_home_dir ();
  gsize length = strlen (home);

  if (g_str_has_prefix (path, home) && path[length] == G_DIR_SEPARATOR)
    return g_strconcat ("~", path + length, NULL);

  return g_strdup (path);
}

static char *
dup_host_description (const BurrowSshConfigHost *host)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *address = burrow_format_host_port (host->host_name != NULL ? host->host_name : host->alias,
                                                      host->port != 0 ? host->port : 22);

  if (host->user != NULL)
    g_string_append_printf (text, "%s@", host->user);
  g_string_append (text, address);

  if (host->jump_hosts != NULL && host->jump_hosts[0] != NULL)
    {
      g_autofree char *hops = g_strjoinv (", ", host->jump_hosts);

      g_string_append (text, " · ");
      /* Translators: the hops before a bastion, from ProxyJump */
      g_string_append_printf (text, _("through %s"), hops);
    }

  if (host->identity_file != NULL)
    {
      g_autofree char *key = dup_short_path (host->identity_file);

      g_string_append_printf (text, " · %s", key);
    }

  if (host->proxy_command != NULL)
    {
      g_string_append (text, "\n");
      /* Translators: %s is the ProxyCommand of an ~/.ssh/config entry */
      g_string_append_printf (text, _("Reached through a ProxyCommand (%s): Burrow does not run commands, so this entry cannot be imported"),
                              host->proxy_command);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_host_row (BurrowSshImportDialog     *self,
              const BurrowSshConfigHost *host)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  g_autofree char *description = dup_host_description (host);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), host->alias);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), description);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);

  if (self->group_check == NULL)
    self->group_check = GTK_CHECK_BUTTON (check);
  else
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->group_check);

  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_check_toggled), self);
  g_object_set_data (G_OBJECT (row), "check", check);

  if (host->proxy_command != NULL)
    {
      gtk_widget_set_sensitive (row, FALSE);
      gtk_widget_add_css_class (row, "refused");
    }

  g_ptr_array_add (self->host_rows, row);
  adw_preferences_group_add (self->hosts_group, row);
}

static void
fill_into_row (BurrowSshImportDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GListModel *connections = burrow_engine_get_connections (self->engine);
  guint selected = 0;

  g_ptr_array_set_size (self->into_ids, 0);
  g_ptr_array_add (self->into_ids, NULL);
  gtk_string_list_append (names, _("A new connection"));
  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(BurrowConnection) connection = g_list_model_get_item (connections, i);

      g_ptr_array_add (self->into_ids, g_strdup (burrow_connection_get_id (connection)));
      gtk_string_list_append (names, burrow_connection_get_name (connection));
      if (connection == self->into)
        selected = i + 1;
    }

  adw_combo_row_set_model (self->into_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->into_row, selected);
}

static void
on_hosts_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BurrowSshImportDialog) self = user_data;
  g_autoptr(GPtrArray) hosts = NULL;
  g_autoptr(GError) error = NULL;

  hosts = burrow_engine_read_ssh_config_finish (BURROW_ENGINE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loaded = TRUE;
  gtk_spinner_set_spinning (self->spinner, FALSE);

  if (hosts == NULL || hosts->len == 0)
    {
      g_autofree char *description = NULL;

      if (error != NULL)
        {
          g_autofree char *cause = burrow_error_dup_cause (error);
          const char *hint = burrow_error_get_hint (error);

          description = hint != NULL ? g_strdup_printf ("%s. %s", cause, hint) : g_steal_pointer (&cause);
        }
      else
        description = g_strdup (_("The file has no Host entry without a pattern: add one with the bastion’s HostName, User and Port, or set the tunnel by hand."));

      adw_status_page_set_description (self->nothing_page, description);
      gtk_stack_set_visible_child_name (self->stack, "nothing");
      return;
    }

  self->hosts = g_steal_pointer (&hosts);
  for (guint i = 0; i < self->hosts->len; i++)
    add_host_row (self, g_ptr_array_index (self->hosts, i));

  fill_into_row (self);
  gtk_stack_set_visible_child_name (self->stack, "hosts");
  update_import_button (self);
}

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BurrowSshImportDialog) self = user_data;
  g_autoptr(BurrowConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  self->importing = FALSE;
  connection = burrow_engine_import_ssh_host_finish (BURROW_ENGINE (source), result, &error);

  if (connection == NULL)
    {
      g_autofree char *cause = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      cause = burrow_error_dup_cause (error);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (cause));
      update_import_button (self);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_IMPORTED], 0, connection);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_import_button_clicked (BurrowSshImportDialog *self)
{
  burrow_ssh_import_dialog_import (self);
}

static void
burrow_ssh_import_dialog_constructed (GObject *object)
{
  BurrowSshImportDialog *self = (BurrowSshImportDialog *)object;
  g_autofree char *shown_path = NULL;

  G_OBJECT_CLASS (burrow_ssh_import_dialog_parent_class)->constructed (object);

  if (self->path != NULL)
    shown_path = dup_short_path (self->path);
  else
    {
      g_autofree char *path = burrow_ssh_config_default_path ();

      shown_path = dup_short_path (path);
    }
  adw_window_title_set_subtitle (self->window_title, shown_path);

  gtk_spinner_set_spinning (self->spinner, TRUE);
  burrow_engine_read_ssh_config_async (self->engine, self->path, self->cancellable, on_hosts_read,
                                       g_object_ref (self));
}

/* Closed: the read or the import under way stops now, not when the last
 * callback lets go of the dialog. */
static void
burrow_ssh_import_dialog_unrealize (GtkWidget *widget)
{
  g_cancellable_cancel (BURROW_SSH_IMPORT_DIALOG (widget)->cancellable);

  GTK_WIDGET_CLASS (burrow_ssh_import_dialog_parent_class)->unrealize (widget);
}

static void
burrow_ssh_import_dialog_dispose (GObject *object)
{
  BurrowSshImportDialog *self = (BurrowSshImportDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->engine);
  g_clear_object (&self->into);
  g_clear_pointer (&self->hosts, g_ptr_array_unref);
  g_clear_pointer (&self->host_rows, g_ptr_array_unref);
  g_clear_pointer (&self->into_ids, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), BURROW_TYPE_SSH_IMPORT_DIALOG);

  G_OBJECT_CLASS (burrow_ssh_import_dialog_parent_class)->dispose (object);
}

static void
burrow_ssh_import_dialog_finalize (GObject *object)
{
  BurrowSshImportDialog *self = (BurrowSshImportDialog *)object;

  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (burrow_ssh_import_dialog_parent_class)->finalize (object);
}

static void
burrow_ssh_import_dialog_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  BurrowSshImportDialog *self = BURROW_SSH_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;

    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    case PROP_INTO:
      self->into = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_ssh_import_dialog_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  BurrowSshImportDialog *self = BURROW_SSH_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;

    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_INTO:
      g_value_set_object (value, self->into);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_ssh_import_dialog_class_init (BurrowSshImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = burrow_ssh_import_dialog_constructed;
  object_class->dispose = burrow_ssh_import_dialog_dispose;
  object_class->finalize = burrow_ssh_import_dialog_finalize;
  object_class->get_property = burrow_ssh_import_dialog_get_property;
  object_class->set_property = burrow_ssh_import_dialog_set_property;

  widget_class->unrealize = burrow_ssh_import_dialog_unrealize;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, BURROW_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* %NULL reads ~/.ssh/config. */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The connection chosen at first to import into; %NULL for a new one. */
  properties[PROP_INTO] =
    g_param_spec_object ("into", NULL, NULL, BURROW_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_IMPORTED] =
    g_signal_new ("imported",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BURROW_TYPE_CONNECTION);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/burrow-ssh-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BurrowSshImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, BurrowSshImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowSshImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowSshImportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BurrowSshImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, BurrowSshImportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, BurrowSshImportDialog, hosts_group);
  gtk_widget_class_bind_template_child (widget_class, BurrowSshImportDialog, into_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowSshImportDialog, nothing_page);
  gtk_widget_class_bind_template_callback (widget_class, on_import_button_clicked);
}

static void
burrow_ssh_import_dialog_init (BurrowSshImportDialog *self)
{
  self->cancellable = g_cancellable_new ();
  self->host_rows = g_ptr_array_new ();
  self->into_ids = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
  burrow_accessible_name_button (GTK_WIDGET (self->cancel_button), NULL);
  burrow_accessible_name_button (GTK_WIDGET (self->import_button), NULL);
}

/**
 * burrow_ssh_import_dialog_new:
 * @path: (nullable): the SSH config to read; %NULL for ~/.ssh/config
 * @into: (nullable): the connection to import into at first
 */
GtkWidget *
burrow_ssh_import_dialog_new (GtkWindow        *parent,
                              BurrowEngine     *engine,
                              const char       *path,
                              BurrowConnection *into)
{
  g_return_val_if_fail (BURROW_IS_ENGINE (engine), NULL);

  return g_object_new (BURROW_TYPE_SSH_IMPORT_DIALOG,
                       "transient-for", parent,
                       "engine", engine,
                       "path", path,
                       "into", into,
                       NULL);
}

/* Whether the file has been read (and the rows are there). */
gboolean
burrow_ssh_import_dialog_is_loaded (BurrowSshImportDialog *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_IMPORT_DIALOG (self), FALSE);

  return self->loaded;
}

guint
burrow_ssh_import_dialog_get_n_hosts (BurrowSshImportDialog *self)
{
  g_return_val_if_fail (BURROW_IS_SSH_IMPORT_DIALOG (self), 0);

  return self->hosts != NULL ? self->hosts->len : 0;
}

/* Returns: (transfer none) (nullable): the row of the entry @alias */
GtkWidget *
burrow_ssh_import_dialog_get_host_row (BurrowSshImportDialog *self,
                                       const char            *alias)
{
  g_return_val_if_fail (BURROW_IS_SSH_IMPORT_DIALOG (self), NULL);

  for (guint i = 0; self->hosts != NULL && i < self->hosts->len; i++)
    if (g_str_equal (((BurrowSshConfigHost *)g_ptr_array_index (self->hosts, i))->alias, alias))
      return g_ptr_array_index (self->host_rows, i);

  return NULL;
}

/* Chooses the entry @alias and the connection to import into (%NULL: a
 * new one), as a click would. */
void
burrow_ssh_import_dialog_choose (BurrowSshImportDialog *self,
                                 const char            *alias,
                                 BurrowConnection      *into)
{
  GtkWidget *row;

  g_return_if_fail (BURROW_IS_SSH_IMPORT_DIALOG (self));

  row = burrow_ssh_import_dialog_get_host_row (self, alias);
  g_return_if_fail (row != NULL);

  gtk_check_button_set_active (g_object_get_data (G_OBJECT (row), "check"), TRUE);

  adw_combo_row_set_selected (self->into_row, 0);
  for (guint i = 1; into != NULL && i < self->into_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->into_ids, i), burrow_connection_get_id (into)))
      adw_combo_row_set_selected (self->into_row, i);
}

void
burrow_ssh_import_dialog_import (BurrowSshImportDialog *self)
{
  const BurrowSshConfigHost *host;

  g_return_if_fail (BURROW_IS_SSH_IMPORT_DIALOG (self));

  host = chosen_host (self);
  if (host == NULL || self->importing)
    return;

  self->importing = TRUE;
  update_import_button (self);
  burrow_engine_import_ssh_host_async (self->engine, host, chosen_into (self), self->cancellable,
                                       on_imported, g_object_ref (self));
}
