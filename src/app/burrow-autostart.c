/* burrow-autostart.c — "Start at login": the XDG autostart entry, or the Background portal in a sandbox.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Follows the "start-at-login" preference. Outside a sandbox Burrow
 * writes (or removes) $XDG_CONFIG_HOME/autostart/APP_ID.desktop itself,
 * as GNOME applications of its generation do; the file, not the
 * preference, is what the session reads, so at start the preference is
 * set from whether the file is there (the analyst may have removed it
 * with another tool). Inside Flatpak the file would land in the sandbox:
 * Burrow asks the Background portal instead (libportal), which writes
 * the entry outside and may ask the analyst first; a refusal turns the
 * preference off again.
 *
 * Either way the entry runs "burrow --autostart": Burrow starts without
 * a window and brings up the connections marked "connect at start".
 *
 * Properties: "busy" (boolean), a write or a request is under way.
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libportal/portal.h>
#include <string.h>
#include <libportal-gtk4/portal-gtk4.h>

#include "burrow-autostart.h"

struct _BurrowAutostart
{
  GObject         parent_instance;

  GtkApplication *application;   /* weak: it owns this */
  GSettings      *settings;
  char           *program;
  gboolean        sandboxed;
  XdpPortal      *portal;
  GCancellable   *cancellable;

  gboolean        busy;
  gboolean        applied;       /* what the last finished change made true */
  gboolean        refused;       /* the portal said no: undo the switch quietly */
};

G_DEFINE_FINAL_TYPE (BurrowAutostart, burrow_autostart, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void apply (BurrowAutostart *self);

static void
set_busy (BurrowAutostart *self,
          gboolean         busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* A change made while another was under way is applied after it. */
static void
finished (BurrowAutostart *self,
          gboolean         now)
{
  self->applied = now;
  set_busy (self, FALSE);

  if (g_settings_get_boolean (self->settings, "start-at-login") != self->applied)
    apply (self);
}

/* ------------------------------------------------------------------ */
/* Outside a sandbox: the autostart file                               */
/* ------------------------------------------------------------------ */

/* One argument of an Exec line, quoted as the Desktop Entry
 * specification says when it needs to be. */
static char *
quote_exec_argument (const char *argument)
{
  g_autoptr(GString) quoted = NULL;

  if (argument[0] != '\0' && strspn (argument, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                               "0123456789/._+-") == strlen (argument))
    return g_strdup (argument);

  quoted = g_string_new ("\"");
  for (const char *p = argument; *p != '\0'; p++)
    {
      if (strchr ("\"`$\\", *p) != NULL)
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');

  return g_string_free (g_steal_pointer (&quoted), FALSE);
}

static char *
make_entry (BurrowAutostart *self)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *program = quote_exec_argument (self->program);
  g_autofree char *exec = g_strconcat (program, " --" BURROW_AUTOSTART_OPTION, NULL);
  const char *group = G_KEY_FILE_DESKTOP_GROUP;

  g_key_file_set_string (key_file, group, G_KEY_FILE_DESKTOP_KEY_TYPE, G_KEY_FILE_DESKTOP_TYPE_APPLICATION);
  g_key_file_set_string (key_file, group, G_KEY_FILE_DESKTOP_KEY_NAME, "Burrow");
  g_key_file_set_string (key_file, group, G_KEY_FILE_DESKTOP_KEY_COMMENT,
                         _("Brings up the database tunnels marked to connect at start"));
  g_key_file_set_string (key_file, group, G_KEY_FILE_DESKTOP_KEY_EXEC, exec);
  g_key_file_set_string (key_file, group, G_KEY_FILE_DESKTOP_KEY_ICON, APP_ID);
  g_key_file_set_boolean (key_file, group, G_KEY_FILE_DESKTOP_KEY_TERMINAL, FALSE);
  g_key_file_set_boolean (key_file, group, "X-GNOME-Autostart-enabled", TRUE);

  return g_key_file_to_data (key_file, NULL, NULL);
}

static void
write_entry_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  const char *contents = task_data;
  g_autofree char *path = burrow_autostart_dup_file_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  GError *error = NULL;

  if (contents == NULL)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                                   "%s: %s", path, g_strerror (saved));
          return;
        }
    }
  else if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               "%s: %s", dir, g_strerror (saved));
      return;
    }
  else if (!g_file_set_contents (path, contents, -1, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_entry_written (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BurrowAutostart *self = BURROW_AUTOSTART (source);
  gboolean wanted = GPOINTER_TO_INT (user_data);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The preference then says what the session will do. */
      g_message ("Could not %s the autostart entry: %s", wanted ? "write" : "remove", error->message);
      g_settings_set_boolean (self->settings, "start-at-login", !wanted);
      finished (self, !wanted);
      return;
    }

  finished (self, wanted);
}

static void
apply_file (BurrowAutostart *self,
            gboolean         wanted)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_entry_written, GINT_TO_POINTER (wanted));

  g_task_set_source_tag (task, apply_file);
  g_task_set_task_data (task, wanted ? make_entry (self) : NULL, g_free);
  g_task_run_in_thread (task, write_entry_thread);
}

/* ------------------------------------------------------------------ */
/* In a sandbox: the Background portal                                 */
/* ------------------------------------------------------------------ */

static void
on_background_requested (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean wanted = GPOINTER_TO_INT (user_data);
  BurrowAutostart *self;
  gboolean granted;

  granted = xdp_portal_request_background_finish (XDP_PORTAL (source), result, &error);

  /* Gone with the application, whose cancellable ended the request. */
  self = g_object_get_data (source, "burrow-autostart");
  if (self == NULL)
    return;

  if (wanted && !granted)
    {
      g_debug ("The Background portal did not allow starting at login: %s",
               error != NULL ? error->message : "refused");
      self->refused = TRUE;
      g_settings_set_boolean (self->settings, "start-at-login", FALSE);
      self->refused = FALSE;
      finished (self, FALSE);
      return;
    }

  finished (self, wanted);
}

static void
apply_portal (BurrowAutostart *self,
              gboolean         wanted)
{
  g_autoptr(GPtrArray) command = g_ptr_array_new_with_free_func (g_free);
  XdpParent *parent = NULL;
  GtkWindow *window = self->application != NULL ? gtk_application_get_active_window (self->application) : NULL;
  XdpBackgroundFlags flags = XDP_BACKGROUND_FLAG_ACTIVATABLE;

  if (wanted)
    flags |= XDP_BACKGROUND_FLAG_AUTOSTART;

  /* Inside the sandbox the command is found on its own PATH. */
  g_ptr_array_add (command, g_strdup ("burrow"));
  g_ptr_array_add (command, g_strdup ("--" BURROW_AUTOSTART_OPTION));

  if (window != NULL)
    parent = xdp_parent_new_gtk (window);

  xdp_portal_request_background (self->portal, parent,
                                 _("Burrow keeps your database tunnels up while its window is closed, "
                                   "and brings up the ones marked to connect at start when you log in."),
                                 command, flags, self->cancellable,
                                 on_background_requested, GINT_TO_POINTER (wanted));

  if (parent != NULL)
    xdp_parent_free (parent);
}

/* ------------------------------------------------------------------ */
/* Following the preference                                            */
/* ------------------------------------------------------------------ */

static void
apply (BurrowAutostart *self)
{
  gboolean wanted = g_settings_get_boolean (self->settings, "start-at-login");

  if (self->busy || self->refused)
    return;

  set_busy (self, TRUE);
  if (self->sandboxed)
    apply_portal (self, wanted);
  else
    apply_file (self, wanted);
}

static void
burrow_autostart_dispose (GObject *object)
{
  BurrowAutostart *self = BURROW_AUTOSTART (object);

  g_cancellable_cancel (self->cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->portal != NULL)
    g_object_set_data (G_OBJECT (self->portal), "burrow-autostart", NULL);
  if (self->application != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->application), (gpointer *)&self->application);
  self->application = NULL;

  g_clear_object (&self->settings);
  g_clear_object (&self->portal);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->program, g_free);

  G_OBJECT_CLASS (burrow_autostart_parent_class)->dispose (object);
}

static void
burrow_autostart_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BurrowAutostart *self = BURROW_AUTOSTART (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_autostart_class_init (BurrowAutostartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_autostart_dispose;
  object_class->get_property = burrow_autostart_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
burrow_autostart_init (BurrowAutostart *self)
{
  self->cancellable = g_cancellable_new ();
}

/* Public API */

/**
 * burrow_autostart_new:
 * @application: (nullable): whose active window a portal dialog goes over
 * @settings: Burrow's preferences ("start-at-login")
 * @program: the path the autostart entry runs, outside a sandbox
 * @sandboxed: whether to ask the Background portal instead
 */
BurrowAutostart *
burrow_autostart_new (GtkApplication *application,
                      GSettings      *settings,
                      const char     *program,
                      gboolean        sandboxed)
{
  BurrowAutostart *self;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (program != NULL, NULL);

  self = g_object_new (BURROW_TYPE_AUTOSTART, NULL);
  self->application = application;
  if (application != NULL)
    g_object_add_weak_pointer (G_OBJECT (application), (gpointer *)&self->application);
  self->settings = g_object_ref (settings);
  self->program = g_strdup (program);
  self->sandboxed = sandboxed;

  if (sandboxed)
    {
      /* What the portal recorded cannot be read back: the preference
       * stands as it is. */
      self->portal = xdp_portal_new ();
      g_object_set_data (G_OBJECT (self->portal), "burrow-autostart", self);
      self->applied = g_settings_get_boolean (settings, "start-at-login");
    }
  else
    {
      g_autofree char *path = burrow_autostart_dup_file_path ();

      self->applied = g_file_test (path, G_FILE_TEST_EXISTS);
      if (g_settings_get_boolean (settings, "start-at-login") != self->applied)
        g_settings_set_boolean (settings, "start-at-login", self->applied);
    }

  g_signal_connect_swapped (settings, "changed::start-at-login", G_CALLBACK (apply), self);

  return self;
}

/* Returns: (transfer full): where the autostart entry goes outside a sandbox */
char *
burrow_autostart_dup_file_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);
}

gboolean
burrow_autostart_get_busy (BurrowAutostart *self)
{
  g_return_val_if_fail (BURROW_IS_AUTOSTART (self), FALSE);

  return self->busy;
}
