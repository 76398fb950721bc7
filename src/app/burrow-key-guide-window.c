/* burrow-key-guide-window.c — how to authorize Burrow's own key on a
 * connection's bastion, with the commands filled in.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The steps of Metamapper's "SSH tunnels" guide, for this connection:
 * Burrow's public key (made on first use) and the line for
 * authorized_keys that lets it forward to this one database only; then
 * the commands that make a user for Burrow on the bastion and install the
 * key, each with a copy button, and all of them as one script. The steps
 * come from BurrowIdentity, which burrowctl's guide prints too, so that
 * both say the same thing.
 *
 * Rotating the key is here as well: the confirmation names the bastions
 * (and jump hosts) of every connection that signs in with Burrow's key,
 * since each will need the new one. The old key keeps working until the
 * analyst forgets it, here too.
 *
 * "Test" is for whoever opened the guide ("test-again"): the test dialog
 * runs its test again (and says "Test Again"), the connection page opens
 * one.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-accessible.h"
#include "burrow-copy-row.h"
#include "burrow-key-guide-window.h"
#include "burrow-window-parent.h"

struct _BurrowKeyGuideWindow
{
  AdwWindow             parent_instance;

  BurrowEngine         *engine;
  BurrowProfile        *profile;
  BurrowIdentity       *identity;
  GCancellable         *cancellable;
  gboolean              rotating;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  GtkSpinner           *spinner;
  AdwStatusPage        *error_page;
  BurrowCopyRow        *public_key_row;
  BurrowCopyRow        *restricted_row;
  BurrowCopyRow        *fingerprint_row;
  AdwPreferencesGroup  *bastion_group;
  GtkBox               *steps_box;
  GtkButton            *test_button;
  GtkButton            *script_button;
  GtkButton            *rotate_button;
  AdwActionRow         *forget_row;
  GtkButton            *forget_button;
};

G_DEFINE_FINAL_TYPE (BurrowKeyGuideWindow, burrow_key_guide_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_PROFILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  TEST_AGAIN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define RESPONSE_CANCEL "cancel"
#define RESPONSE_ROTATE "rotate"
#define RESPONSE_FORGET "forget"

/* Helpers */

static void
toast (BurrowKeyGuideWindow *self,
       const char           *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static const char *
bastion_user (BurrowKeyGuideWindow *self)
{
  const char *user = burrow_profile_get_ssh_user (self->profile);

  return user != NULL ? user : "burrow";
}

static const char *
bastion_host (BurrowKeyGuideWindow *self)
{
  const char *host = burrow_profile_get_ssh_host (self->profile);

  return host != NULL ? host : _("the bastion");
}

/* Who runs a step's commands, above them. */
static char *
command_title (BurrowKeyGuideWindow *self,
               BurrowGuideStep      *step)
{
  switch (step->kind)
    {
    case BURROW_GUIDE_STEP_AS_USER:
      /* Translators: %s is the user Burrow signs in as on the bastion */
      return g_strdup_printf (_("As “%s”"), bastion_user (self));
    case BURROW_GUIDE_STEP_ALTERNATIVE:
      return g_strdup (step->title);
    case BURROW_GUIDE_STEP_ADMIN:
    case BURROW_GUIDE_STEP_BECOME_USER:
    case BURROW_GUIDE_STEP_NOTE:
    default:
      return g_strdup (_("As an administrator"));
    }
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

/* The whole guide from the identity and the profile as they are now. */
static void
render (BurrowKeyGuideWindow *self)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *restricted = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *intro_title = NULL;
  g_autofree char *intro = NULL;
  g_autofree char *intro_markup = NULL;
  AdwPreferencesGroup *group = NULL;
  guint number = 0;

  adw_window_title_set_subtitle (self->window_title, burrow_profile_get_name (self->profile));

  if (self->identity == NULL)
    return;

  restricted = burrow_identity_dup_restricted_line (self->identity,
                                                    burrow_profile_get_db_host (self->profile) != NULL
                                                    ? burrow_profile_get_db_host (self->profile) : "DATABASE-HOST",
                                                    burrow_profile_get_db_port (self->profile));
  fingerprint = burrow_identity_dup_fingerprint (self->identity);
  burrow_copy_row_set_value (self->public_key_row, burrow_identity_get_public_key (self->identity));
  burrow_copy_row_set_value (self->restricted_row, restricted);
  burrow_copy_row_set_value (self->fingerprint_row, fingerprint);

  /* Translators: %s is the bastion's host name */
  intro_title = g_strdup_printf (_("On %s"), bastion_host (self));
  intro_markup = g_markup_escape_text (intro_title, -1);
  adw_preferences_group_set_title (self->bastion_group, intro_markup);
  intro = g_strdup_printf (_("Burrow signs in to %s as “%s”. An administrator of %s runs these steps there, once; "
                             "each command can be copied, or all of them as one script."),
                           bastion_host (self), bastion_user (self), bastion_host (self));
  g_clear_pointer (&intro_markup, g_free);
  intro_markup = g_markup_escape_text (intro, -1);
  adw_preferences_group_set_description (self->bastion_group, intro_markup);

  clear_box (self->steps_box);
  steps = burrow_identity_dup_guide_steps (self->identity, self->profile);
  for (guint i = 0; i < steps->len; i++)
    {
      BurrowGuideStep *step = g_ptr_array_index (steps, i);

      if (step->kind != BURROW_GUIDE_STEP_ALTERNATIVE || group == NULL)
        {
          g_autofree char *title = g_strdup_printf ("%u. %s", ++number, step->title);
          g_autofree char *title_markup = g_markup_escape_text (title, -1);
          g_autofree char *explanation = g_markup_escape_text (step->explanation, -1);

          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (group, title_markup);
          adw_preferences_group_set_description (group, explanation);
          gtk_box_append (self->steps_box, GTK_WIDGET (group));
        }

      if (step->command != NULL)
        {
          g_autofree char *title = command_title (self, step);
          /* Translators: a copy button's name for a screen reader: "Copy step 1: Create a user for Burrow" */
          g_autofree char *copy = g_strdup_printf (_("Copy step %u: %s"), number, step->title);
          GtkWidget *row = GTK_WIDGET (burrow_copy_row_new (title, step->command));

          /* The row's own name ("Copy As an administrator") would be the
           * same for several steps. */
          burrow_accessible_name_inner (row, GTK_TYPE_BUTTON, copy);
          adw_preferences_group_add (group, row);
        }
    }

  gtk_widget_set_visible (GTK_WIDGET (self->forget_row),
                          burrow_identity_get_previous_public_key (self->identity) != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->rotate_button), !self->rotating);
  gtk_widget_set_sensitive (GTK_WIDGET (self->forget_button), !self->rotating);
}

/* "burrow@bastion.example.com", with the port when it is not 22. */
static char *
format_account (const char *user,
                const char *host,
                guint       port)
{
  g_autofree char *address = port != 22 ? burrow_format_host_port (host, port) : g_strdup (host);

  return user != NULL ? g_strdup_printf ("%s@%s", user, address) : g_steal_pointer (&address);
}

static void
add_use (GHashTable *uses,
         GPtrArray  *order,
         const char *account,
         const char *what)
{
  GPtrArray *names = g_hash_table_lookup (uses, account);

  if (names == NULL)
    {
      names = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (uses, g_strdup (account), names);
      g_ptr_array_add (order, g_strdup (account));
    }

  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (g_ptr_array_index (names, i), what))
      return;

  g_ptr_array_add (names, g_strdup (what));
}

static void
add_profile_uses (GHashTable    *uses,
                  GPtrArray     *order,
                  BurrowProfile *profile)
{
  const char * const *jumps;
  g_autofree char *account = NULL;
  const char *name = burrow_profile_get_name (profile) != NULL ? burrow_profile_get_name (profile) : "";

  if (!burrow_profile_get_tunnel_enabled (profile) ||
      burrow_profile_get_ssh_auth (profile) != BURROW_PROFILE_AUTH_WORKSPACE_KEY ||
      burrow_profile_get_ssh_host (profile) == NULL)
    return;

  account = format_account (burrow_profile_get_ssh_user (profile), burrow_profile_get_ssh_host (profile),
                            burrow_profile_get_ssh_port (profile));
  add_use (uses, order, account, name);

  jumps = burrow_profile_get_jump_hosts (profile);
  for (guint i = 0; jumps != NULL && jumps[i] != NULL; i++)
    {
      /* Translators: %s is a connection's name */
      g_autofree char *what = g_strdup_printf (_("jump host for %s"), name);

      add_use (uses, order, jumps[i], what);
    }
}

/* A boxed list of every account that signs in with Burrow's key (this
 * guide's connection first, saved or not), and the connections that use
 * it; NULL when there is none. */
static GtkWidget *
make_bastion_list (BurrowKeyGuideWindow *self)
{
  g_autoptr(GHashTable) uses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  GListModel *connections = burrow_engine_get_connections (self->engine);
  GtkWidget *list;

  add_profile_uses (uses, order, self->profile);
  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(BurrowConnection) connection = g_list_model_get_item (connections, i);
      BurrowProfile *saved = burrow_connection_get_profile (connection);

      /* The guide shows the form's copy, which may hold unsaved changes. */
      if (g_strcmp0 (burrow_profile_get_id (saved), burrow_profile_get_id (self->profile)) != 0)
        add_profile_uses (uses, order, saved);
    }

  if (order->len == 0)
    return NULL;

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  for (guint i = 0; i < order->len; i++)
    {
      const char *account = g_ptr_array_index (order, i);
      GPtrArray *names = g_hash_table_lookup (uses, account);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) strv = NULL;
      g_autofree char *joined = NULL;
      GtkWidget *row = adw_action_row_new ();

      for (guint j = 0; j < names->len; j++)
        g_strv_builder_add (builder, g_ptr_array_index (names, j));
      strv = g_strv_builder_end (builder);
      joined = g_strjoinv (", ", strv);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), account);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), joined);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }

  return list;
}

/* Callbacks */

static void
on_identity_notify (BurrowKeyGuideWindow *self)
{
  render (self);
}

static void
on_profile_notify (BurrowKeyGuideWindow *self)
{
  render (self);
}

static void
on_identity_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(BurrowKeyGuideWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  BurrowIdentity *identity;

  identity = burrow_engine_load_identity_finish (BURROW_ENGINE (source), result, &error);
  gtk_spinner_set_spinning (self->spinner, FALSE);

  if (identity == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  self->identity = identity;
  g_signal_connect_object (identity, "notify::public-key", G_CALLBACK (on_identity_notify),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (identity, "notify::previous-public-key", G_CALLBACK (on_identity_notify),
                           self, G_CONNECT_SWAPPED);

  render (self);
  gtk_stack_set_visible_child_name (self->stack, "guide");
}

static void
on_test_button_clicked (BurrowKeyGuideWindow *self)
{
  g_signal_emit (self, signals[TEST_AGAIN], 0);
}

static void
on_script_button_clicked (BurrowKeyGuideWindow *self)
{
  g_autofree char *script = burrow_key_guide_window_dup_script (self);

  if (script == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), script);
  toast (self, _("Script copied: run it on the bastion as an administrator"));
}

static void
on_rotated (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BurrowKeyGuideWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  self->rotating = FALSE;

  if (!burrow_identity_rotate_finish (BURROW_IDENTITY (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      render (self);
      return;
    }

  render (self);
  toast (self, _("New key made: install it on each bastion, then forget the old one"));
}

static void
on_rotate_response (BurrowKeyGuideWindow *self,
                    const char           *response)
{
  if (g_strcmp0 (response, RESPONSE_ROTATE) != 0 || self->identity == NULL || self->rotating)
    return;

  self->rotating = TRUE;
  render (self);
  burrow_identity_rotate_async (self->identity, self->cancellable, on_rotated, g_object_ref (self));
}

static void
on_rotate_button_clicked (BurrowKeyGuideWindow *self)
{
  AdwMessageDialog *dialog;
  GtkWidget *list = make_bastion_list (self);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Make a New Key?"), NULL));
  if (list != NULL)
    {
      adw_message_dialog_set_body (dialog,
                                   _("Burrow will sign in with the new key, and with the old one until you "
                                     "forget it. Install the new key on each of these:"));
      adw_message_dialog_set_extra_child (dialog, list);
    }
  else
    adw_message_dialog_set_body (dialog,
                                 _("No connection signs in with Burrow’s key yet: nothing else needs to change."));

  adw_message_dialog_add_responses (dialog,
                                    RESPONSE_CANCEL, _("_Cancel"),
                                    RESPONSE_ROTATE, _("_Make a New Key"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, RESPONSE_ROTATE, ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, RESPONSE_CANCEL);
  adw_message_dialog_set_close_response (dialog, RESPONSE_CANCEL);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rotate_response), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_rotation_confirmed (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(BurrowKeyGuideWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  self->rotating = FALSE;

  if (!burrow_identity_confirm_rotation_finish (BURROW_IDENTITY (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
    }
  else
    toast (self, _("The old key is forgotten"));

  render (self);
}

static void
on_forget_response (BurrowKeyGuideWindow *self,
                    const char           *response)
{
  if (g_strcmp0 (response, RESPONSE_FORGET) != 0 || self->identity == NULL || self->rotating)
    return;

  self->rotating = TRUE;
  render (self);
  burrow_identity_confirm_rotation_async (self->identity, self->cancellable,
                                          on_rotation_confirmed, g_object_ref (self));
}

static void
on_forget_button_clicked (BurrowKeyGuideWindow *self)
{
  AdwMessageDialog *dialog;
  GtkWidget *list = make_bastion_list (self);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Forget the Old Key?"), NULL));
  adw_message_dialog_set_body (dialog,
                               list != NULL
                               ? _("From now on Burrow signs in with the new key only: any of these that "
                                   "still has only the old key will refuse it.")
                               : _("From now on Burrow signs in with the new key only."));
  if (list != NULL)
    adw_message_dialog_set_extra_child (dialog, list);

  adw_message_dialog_add_responses (dialog,
                                    RESPONSE_CANCEL, _("_Cancel"),
                                    RESPONSE_FORGET, _("_Forget the Old Key"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, RESPONSE_FORGET, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, RESPONSE_CANCEL);
  adw_message_dialog_set_close_response (dialog, RESPONSE_CANCEL);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_forget_response), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
win_show_toast (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  toast (BURROW_KEY_GUIDE_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* Overrides */

static gboolean
burrow_key_guide_window_close_request (GtkWindow *window)
{
  BurrowKeyGuideWindow *self = BURROW_KEY_GUIDE_WINDOW (window);

  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (burrow_key_guide_window_parent_class)->close_request (window);
}

/* Destroyed without closing (by its parent): the same. */
static void
burrow_key_guide_window_unrealize (GtkWidget *widget)
{
  g_cancellable_cancel (BURROW_KEY_GUIDE_WINDOW (widget)->cancellable);

  GTK_WIDGET_CLASS (burrow_key_guide_window_parent_class)->unrealize (widget);
}

static void
burrow_key_guide_window_constructed (GObject *object)
{
  BurrowKeyGuideWindow *self = (BurrowKeyGuideWindow *)object;

  G_OBJECT_CLASS (burrow_key_guide_window_parent_class)->constructed (object);

  g_assert (BURROW_IS_ENGINE (self->engine));
  g_assert (BURROW_IS_PROFILE (self->profile));

  burrow_window_follow_parent (GTK_WINDOW (self));
  g_signal_connect_object (self->profile, "notify", G_CALLBACK (on_profile_notify), self, G_CONNECT_SWAPPED);
  render (self);

  gtk_spinner_set_spinning (self->spinner, TRUE);
  burrow_engine_load_identity_async (self->engine, self->cancellable, on_identity_loaded, g_object_ref (self));
}

static void
burrow_key_guide_window_dispose (GObject *object)
{
  BurrowKeyGuideWindow *self = (BurrowKeyGuideWindow *)object;

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), BURROW_TYPE_KEY_GUIDE_WINDOW);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->identity);
  g_clear_object (&self->profile);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (burrow_key_guide_window_parent_class)->dispose (object);
}

static void
burrow_key_guide_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  BurrowKeyGuideWindow *self = BURROW_KEY_GUIDE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;

    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_key_guide_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  BurrowKeyGuideWindow *self = BURROW_KEY_GUIDE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;

    case PROP_PROFILE:
      self->profile = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_key_guide_window_class_init (BurrowKeyGuideWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = burrow_key_guide_window_constructed;
  object_class->dispose = burrow_key_guide_window_dispose;
  object_class->get_property = burrow_key_guide_window_get_property;
  object_class->set_property = burrow_key_guide_window_set_property;

  widget_class->unrealize = burrow_key_guide_window_unrealize;

  window_class->close_request = burrow_key_guide_window_close_request;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, BURROW_TYPE_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The connection the guide is for; followed as it changes. */
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, BURROW_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* "Test Again" was pressed; the guide stays open. */
  signals[TEST_AGAIN] =
    g_signal_new ("test-again",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (BURROW_TYPE_COPY_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/burrow-key-guide-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BurrowKeyGuideWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BurrowKeyGuideWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, BurrowKeyGuideWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, BurrowKeyGuideWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, BurrowKeyGuideWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, BurrowKeyGuideWindow, public_key_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowKeyGuideWindow, restricted_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowKeyGuideWindow, fingerprint_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowKeyGuideWindow, bastion_group);
  gtk_widget_class_bind_template_child (widget_class, BurrowKeyGuideWindow, steps_box);
  gtk_widget_class_bind_template_child (widget_class, BurrowKeyGuideWindow, test_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowKeyGuideWindow, script_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowKeyGuideWindow, rotate_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowKeyGuideWindow, forget_row);
  gtk_widget_class_bind_template_child (widget_class, BurrowKeyGuideWindow, forget_button);
  gtk_widget_class_bind_template_callback (widget_class, on_test_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_script_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_rotate_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_forget_button_clicked);

  gtk_widget_class_install_action (widget_class, "win.show-toast", "s", win_show_toast);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
burrow_key_guide_window_init (BurrowKeyGuideWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  burrow_key_guide_window_set_after_test (self, FALSE);
  burrow_accessible_keep_label (GTK_WIDGET (self->script_button));
  burrow_accessible_keep_label (GTK_WIDGET (self->rotate_button));
  burrow_accessible_keep_label (GTK_WIDGET (self->forget_button));
}

/* Public API */

/* The guide for @profile (the form's copy is fine: it is followed as it
 * changes); Burrow's key is made on first use. */
BurrowKeyGuideWindow *
burrow_key_guide_window_new (GtkWindow     *parent,
                             BurrowEngine  *engine,
                             BurrowProfile *profile)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BURROW_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (BURROW_IS_PROFILE (profile), NULL);

  return g_object_new (BURROW_TYPE_KEY_GUIDE_WINDOW,
                       "transient-for", parent,
                       "engine", engine,
                       "profile", profile,
                       NULL);
}

BurrowProfile *
burrow_key_guide_window_get_profile (BurrowKeyGuideWindow *self)
{
  g_return_val_if_fail (BURROW_IS_KEY_GUIDE_WINDOW (self), NULL);

  return self->profile;
}

/* Burrow's key, once it is read; %NULL before. */
BurrowIdentity *
burrow_key_guide_window_get_identity (BurrowKeyGuideWindow *self)
{
  g_return_val_if_fail (BURROW_IS_KEY_GUIDE_WINDOW (self), NULL);

  return self->identity;
}

/* What "Copy as Script" copies; %NULL until the key is read. */
char *
burrow_key_guide_window_dup_script (BurrowKeyGuideWindow *self)
{
  g_return_val_if_fail (BURROW_IS_KEY_GUIDE_WINDOW (self), NULL);

  if (self->identity == NULL)
    return NULL;

  return burrow_identity_dup_guide_script (self->identity, self->profile);
}

/* Whether the guide was opened from a test that ran: its button then
 * says "Test Again" rather than "Test". */
void
burrow_key_guide_window_set_after_test (BurrowKeyGuideWindow *self,
                                        gboolean              after_test)
{
  g_return_if_fail (BURROW_IS_KEY_GUIDE_WINDOW (self));

  gtk_button_set_label (self->test_button, after_test ? _("Test _Again") : _("_Test"));
  burrow_accessible_name_button (GTK_WIDGET (self->test_button),
                                 after_test ? _("Test the connection again") : _("Test the connection"));
}
