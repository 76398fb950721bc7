/* burrow-jump-hosts-row.c — the hops before the bastion: add, reorder, remove.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One entry row per hop (USER@HOST[:PORT], outermost first, as ProxyJump
 * writes them), each with buttons to move it and to remove it, and a last
 * row that adds one. "hosts" follows every keystroke, empty hops included,
 * so that a hop just added stays while the analyst fills it in; the rows
 * are only rebuilt when the list changes shape, so typing keeps its focus.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-accessible.h"
#include "burrow-core.h"

#include "burrow-jump-hosts-row.h"
#include "burrow-problem-row.h"

struct _BurrowJumpHostsRow
{
  AdwExpanderRow  parent_instance;

  GStrv           hosts;
  GPtrArray      *hop_rows;
  GtkWidget      *add_row;
};

G_DEFINE_FINAL_TYPE (BurrowJumpHostsRow, burrow_jump_hosts_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_HOSTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_subtitle (BurrowJumpHostsRow *self)
{
  g_autoptr(GString) route = g_string_new (NULL);
  guint n = self->hosts != NULL ? g_strv_length (self->hosts) : 0;

  if (n == 0)
    {
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self),
                                     _("None: Burrow connects to the bastion directly"));
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (route, " → ");
      g_string_append (route, *self->hosts[i] != '\0' ? self->hosts[i] : "…");
    }
  /* Translators: the hops in order, then the bastion, e.g. "ops@jump:2222 → bastion" */
  g_string_append_printf (route, " → %s", _("bastion"));

  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), route->str);
}

static void
update_hop_labels (BurrowJumpHostsRow *self)
{
  for (guint i = 0; i < self->hop_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->hop_rows, i);
      GtkWidget *up = g_object_get_data (G_OBJECT (row), "up-button");
      GtkWidget *down = g_object_get_data (G_OBJECT (row), "down-button");
      GtkWidget *remove = g_object_get_data (G_OBJECT (row), "remove-button");
      g_autofree char *title = NULL;
      g_autofree char *up_label = NULL;
      g_autofree char *down_label = NULL;
      g_autofree char *remove_label = NULL;
      BurrowProblemRow *problem = g_object_get_data (G_OBJECT (row), "problem-row");
      g_autoptr(BurrowJumpHost) hop = NULL;
      g_autoptr(GError) error = NULL;
      const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

      title = g_strdup_printf (_("Jump host %u"), i + 1);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);

      up_label = g_strdup_printf (_("Move jump host %u up"), i + 1);
      down_label = g_strdup_printf (_("Move jump host %u down"), i + 1);
      remove_label = g_strdup_printf (_("Remove jump host %u"), i + 1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (up), GTK_ACCESSIBLE_PROPERTY_LABEL, up_label, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (down), GTK_ACCESSIBLE_PROPERTY_LABEL, down_label, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);

      gtk_widget_set_sensitive (up, i > 0);
      gtk_widget_set_sensitive (down, i + 1 < self->hop_rows->len);

      /* The reason shows under the hop that is wrong, once it was typed
       * in or came wrong from the profile: not on the whole list. */
      hop = burrow_jump_host_parse (text, &error);
      burrow_problem_row_set_error (problem, hop == NULL ? error : NULL);
    }
}

static guint
index_of (BurrowJumpHostsRow *self,
          GtkWidget          *hop_row)
{
  guint index = 0;

  if (!g_ptr_array_find (self->hop_rows, hop_row, &index))
    g_assert_not_reached ();

  return index;
}

static void
set_hosts_from_rows (BurrowJumpHostsRow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->hop_rows->len; i++)
    g_strv_builder_add (builder, gtk_editable_get_text (g_ptr_array_index (self->hop_rows, i)));

  g_strfreev (self->hosts);
  self->hosts = g_strv_builder_end (builder);
  if (self->hosts[0] == NULL)
    g_clear_pointer (&self->hosts, g_strfreev);

  update_subtitle (self);
  update_hop_labels (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOSTS]);
}

static void
on_hop_row_changed (GtkEditable        *hop_row,
                    BurrowJumpHostsRow *self)
{
  set_hosts_from_rows (self);
}

static GtkWidget *
hop_row_of (GtkWidget *button)
{
  return gtk_widget_get_ancestor (button, ADW_TYPE_ENTRY_ROW);
}

static void
on_up_button_clicked (GtkButton          *button,
                      BurrowJumpHostsRow *self)
{
  burrow_jump_hosts_row_move (self, index_of (self, hop_row_of (GTK_WIDGET (button))), -1);
}

static void
on_down_button_clicked (GtkButton          *button,
                        BurrowJumpHostsRow *self)
{
  burrow_jump_hosts_row_move (self, index_of (self, hop_row_of (GTK_WIDGET (button))), +1);
}

static void
on_remove_button_clicked (GtkButton          *button,
                          BurrowJumpHostsRow *self)
{
  burrow_jump_hosts_row_remove (self, index_of (self, hop_row_of (GTK_WIDGET (button))));
}

static void
on_add_row_activated (BurrowJumpHostsRow *self)
{
  burrow_jump_hosts_row_add (self);
}

static GtkWidget *
add_button (GtkWidget  *row,
            const char *icon_name,
            const char *tooltip,
            const char *key,
            GCallback   callback,
            gpointer    user_data)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect (button, "clicked", callback, user_data);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), button);
  g_object_set_data (G_OBJECT (row), key, button);

  return button;
}

static GtkWidget *
make_hop_row (BurrowJumpHostsRow *self,
              const char         *text)
{
  GtkWidget *row = adw_entry_row_new ();
  BurrowProblemRow *problem;

  gtk_editable_set_text (GTK_EDITABLE (row), text);
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_URL);
  add_button (row, "go-up-symbolic", _("Move Up"), "up-button",
              G_CALLBACK (on_up_button_clicked), self);
  add_button (row, "go-down-symbolic", _("Move Down"), "down-button",
              G_CALLBACK (on_down_button_clicked), self);
  add_button (row, "user-trash-symbolic", _("Remove"), "remove-button",
              G_CALLBACK (on_remove_button_clicked), self);
  g_signal_connect (row, "changed", G_CALLBACK (on_hop_row_changed), self);

  problem = burrow_problem_row_new (row, -1);
  /* An empty hop is still being typed. */
  burrow_problem_row_set_armed (problem, *text != '\0');
  g_object_set_data_full (G_OBJECT (row), "problem-row", g_object_ref_sink (problem), g_object_unref);

  return row;
}

/* @row and the row under it that says what is wrong with it, before the
 * row that adds one. */
static void
append_hop_row (BurrowJumpHostsRow *self,
                GtkWidget          *row)
{
  g_ptr_array_add (self->hop_rows, row);
  adw_expander_row_remove (ADW_EXPANDER_ROW (self), self->add_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), g_object_get_data (G_OBJECT (row), "problem-row"));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), self->add_row);
}

static void
rebuild (BurrowJumpHostsRow *self)
{
  for (guint i = 0; i < self->hop_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->hop_rows, i);

      g_signal_handlers_disconnect_by_data (row, self);
      adw_expander_row_remove (ADW_EXPANDER_ROW (self), g_object_get_data (G_OBJECT (row), "problem-row"));
      adw_expander_row_remove (ADW_EXPANDER_ROW (self), row);
    }
  g_ptr_array_set_size (self->hop_rows, 0);

  for (guint i = 0; self->hosts != NULL && self->hosts[i] != NULL; i++)
    append_hop_row (self, make_hop_row (self, self->hosts[i]));

  update_subtitle (self);
  update_hop_labels (self);
}

static void
burrow_jump_hosts_row_dispose (GObject *object)
{
  BurrowJumpHostsRow *self = (BurrowJumpHostsRow *)object;

  for (guint i = 0; self->hop_rows != NULL && i < self->hop_rows->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->hop_rows, i), self);
  g_clear_pointer (&self->hop_rows, g_ptr_array_unref);
  g_clear_object (&self->add_row);

  G_OBJECT_CLASS (burrow_jump_hosts_row_parent_class)->dispose (object);
}

static void
burrow_jump_hosts_row_finalize (GObject *object)
{
  BurrowJumpHostsRow *self = (BurrowJumpHostsRow *)object;

  g_clear_pointer (&self->hosts, g_strfreev);

  G_OBJECT_CLASS (burrow_jump_hosts_row_parent_class)->finalize (object);
}

static void
burrow_jump_hosts_row_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BurrowJumpHostsRow *self = BURROW_JUMP_HOSTS_ROW (object);

  switch (prop_id)
    {
    case PROP_HOSTS:
      g_value_set_boxed (value, self->hosts);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_jump_hosts_row_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  BurrowJumpHostsRow *self = BURROW_JUMP_HOSTS_ROW (object);

  switch (prop_id)
    {
    case PROP_HOSTS:
      burrow_jump_hosts_row_set_hosts (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_jump_hosts_row_class_init (BurrowJumpHostsRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_jump_hosts_row_dispose;
  object_class->finalize = burrow_jump_hosts_row_finalize;
  object_class->get_property = burrow_jump_hosts_row_get_property;
  object_class->set_property = burrow_jump_hosts_row_set_property;

  properties[PROP_HOSTS] =
    g_param_spec_boxed ("hosts", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
burrow_jump_hosts_row_init (BurrowJumpHostsRow *self)
{
  GtkWidget *icon;

  self->hop_rows = g_ptr_array_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _("Jump Hosts"));
  burrow_accessible_track_expanded (ADW_EXPANDER_ROW (self));

  self->add_row = adw_action_row_new ();
  g_object_ref_sink (self->add_row);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->add_row), _("Add Jump Host"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->add_row),
                               _("USER@HOST:PORT, in the order they are reached, as ProxyJump writes them"));
  icon = gtk_image_new_from_icon_name ("list-add-symbolic");
  adw_action_row_add_prefix (ADW_ACTION_ROW (self->add_row), icon);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->add_row), TRUE);
  g_signal_connect_swapped (self->add_row, "activated", G_CALLBACK (on_add_row_activated), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), self->add_row);

  update_subtitle (self);
}

const char * const *
burrow_jump_hosts_row_get_hosts (BurrowJumpHostsRow *self)
{
  g_return_val_if_fail (BURROW_IS_JUMP_HOSTS_ROW (self), NULL);

  return (const char * const *)self->hosts;
}

void
burrow_jump_hosts_row_set_hosts (BurrowJumpHostsRow *self,
                                 const char * const *hosts)
{
  g_return_if_fail (BURROW_IS_JUMP_HOSTS_ROW (self));

  if (hosts != NULL && hosts[0] == NULL)
    hosts = NULL;

  /* The profile hands back what this row just gave it. */
  if ((hosts == NULL && self->hosts == NULL) ||
      (hosts != NULL && self->hosts != NULL &&
       g_strv_equal (hosts, (const char * const *)self->hosts)))
    return;

  g_strfreev (self->hosts);
  self->hosts = g_strdupv ((char **)hosts);

  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOSTS]);
}

/* Adds an empty hop at the end and puts the cursor in it. */
void
burrow_jump_hosts_row_add (BurrowJumpHostsRow *self)
{
  GtkWidget *row;

  g_return_if_fail (BURROW_IS_JUMP_HOSTS_ROW (self));

  row = make_hop_row (self, "");
  append_hop_row (self, row);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);

  set_hosts_from_rows (self);
  gtk_widget_grab_focus (row);
}

/* Moves hop @index by @offset places (-1 up: reached earlier). */
void
burrow_jump_hosts_row_move (BurrowJumpHostsRow *self,
                            guint               index,
                            int                 offset)
{
  g_autofree char *moved = NULL;
  guint target;
  GtkWidget *button;

  g_return_if_fail (BURROW_IS_JUMP_HOSTS_ROW (self));
  g_return_if_fail (index < self->hop_rows->len);

  if ((offset < 0 && (guint)-offset > index) || index + offset >= self->hop_rows->len)
    return;

  target = index + offset;
  moved = self->hosts[index];
  self->hosts[index] = self->hosts[target];
  self->hosts[target] = g_steal_pointer (&moved);

  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOSTS]);

  /* Keep the keyboard on the hop that moved. */
  button = g_object_get_data (g_ptr_array_index (self->hop_rows, target),
                              offset < 0 ? "up-button" : "down-button");
  if (!gtk_widget_get_sensitive (button))
    button = g_object_get_data (g_ptr_array_index (self->hop_rows, target), "remove-button");
  gtk_widget_grab_focus (button);
}

void
burrow_jump_hosts_row_remove (BurrowJumpHostsRow *self,
                              guint               index)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_if_fail (BURROW_IS_JUMP_HOSTS_ROW (self));
  g_return_if_fail (index < self->hop_rows->len);

  for (guint i = 0; self->hosts[i] != NULL; i++)
    if (i != index)
      g_strv_builder_add (builder, self->hosts[i]);

  g_strfreev (self->hosts);
  self->hosts = g_strv_builder_end (builder);
  if (self->hosts[0] == NULL)
    g_clear_pointer (&self->hosts, g_strfreev);

  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOSTS]);
  gtk_widget_grab_focus (self->add_row);
}

GtkWidget *
burrow_jump_hosts_row_get_hop_row (BurrowJumpHostsRow *self,
                                   guint               index)
{
  g_return_val_if_fail (BURROW_IS_JUMP_HOSTS_ROW (self), NULL);
  g_return_val_if_fail (index < self->hop_rows->len, NULL);

  return g_ptr_array_index (self->hop_rows, index);
}

/* Opens the list when a hop shows what is wrong with it, TRUE then; with
 * @arm, for each hop that is wrong, typed in or not. */
gboolean
burrow_jump_hosts_row_show_problems (BurrowJumpHostsRow *self,
                                     gboolean            arm)
{
  gboolean shown = FALSE;

  g_return_val_if_fail (BURROW_IS_JUMP_HOSTS_ROW (self), FALSE);

  for (guint i = 0; i < self->hop_rows->len; i++)
    {
      BurrowProblemRow *problem = g_object_get_data (g_ptr_array_index (self->hop_rows, i), "problem-row");

      if (arm)
        burrow_problem_row_set_armed (problem, TRUE);
      shown |= gtk_widget_get_visible (GTK_WIDGET (problem));
    }

  if (shown)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);

  return shown;
}
