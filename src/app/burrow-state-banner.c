/* burrow-state-banner.c — the strip at the top of a connection's page that says how it is.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libadwaita 1.2 has no AdwBanner: this is a revealer with a styled box.
 * Up: the address, with a copy button. Reconnecting: when the next try
 * comes, why the last one failed, and "Retry Now". Failed: the cause, the
 * hint, and "Test" to find out more; when the local port is taken by
 * another program, it says so and offers another port (page.use-port),
 * never reusing one that leads elsewhere. Running in another Burrow process
 * (burrowctl up): where, with its address to copy. Stopped: hidden.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "burrow-accessible.h"
#include "burrow-connection-state.h"
#include "burrow-source.h"
#include "burrow-state-banner.h"

typedef enum
{
  BUTTON_NONE,
  BUTTON_RETRY,
  BUTTON_TEST,
  BUTTON_USE_PORT,
} ButtonRole;

struct _BurrowStateBanner
{
  GtkWidget         parent_instance;

  BurrowConnection *connection;
  guint             suggested_port;
  guint             clock_source;
  ButtonRole        button_role;
  char             *title;
  char             *detail;

  /* Template widgets */
  GtkRevealer      *revealer;
  GtkBox           *box;
  GtkStack         *icon_stack;
  GtkImage         *icon;
  GtkSpinner       *spinner;
  GtkLabel         *title_label;
  GtkLabel         *detail_label;
  GtkButton        *copy_button;
  GtkButton        *button;
};

G_DEFINE_FINAL_TYPE (BurrowStateBanner, burrow_state_banner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_SUGGESTED_PORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *state_classes[] = { "up", "connecting", "reconnecting", "failed" };

static void update (BurrowStateBanner *self);

static gboolean
on_clock_tick (gpointer user_data)
{
  update (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
is_port_taken (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE) ||
         g_error_matches (error, BURROW_PROFILE_ERROR, BURROW_PROFILE_ERROR_LOCAL_PORT_TAKEN);
}

static char *
dup_error_text (const GError *error,
                gboolean      with_cause)
{
  g_autofree char *cause = NULL;
  const char *hint;

  if (error == NULL)
    return NULL;

  cause = burrow_error_dup_cause (error);
  hint = burrow_error_get_hint (error);

  if (!with_cause)
    return g_strdup (hint);
  if (hint == NULL)
    return g_steal_pointer (&cause);

  return g_strdup_printf ("%s. %s", cause, hint);
}

static void
set_button (BurrowStateBanner *self,
            ButtonRole         role)
{
  g_autofree char *label = NULL;
  g_autofree char *accessible = NULL;

  self->button_role = role;
  gtk_widget_set_visible (GTK_WIDGET (self->button), role != BUTTON_NONE);

  switch (role)
    {
    case BUTTON_RETRY:
      label = g_strdup (_("_Retry Now"));
      break;

    case BUTTON_TEST:
      label = g_strdup (_("_Test"));
      accessible = g_strdup (_("Test the connection step by step"));
      break;

    case BUTTON_USE_PORT:
      /* Translators: a button that moves the local endpoint to another port */
      label = g_strdup_printf (_("_Use Port %u"), self->suggested_port);
      break;

    case BUTTON_NONE:
    default:
      return;
    }

  gtk_button_set_label (self->button, label);
  burrow_accessible_name_button (GTK_WIDGET (self->button), accessible);
}

static void
update (BurrowStateBanner *self)
{
  BurrowTunnelState shown = BURROW_TUNNEL_STOPPED;
  const GError *error = NULL;
  const char *state_class = NULL;
  ButtonRole role = BUTTON_NONE;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->detail, g_free);

  if (self->connection != NULL)
    {
      shown = burrow_connection_state_get_shown (self->connection);
      error = burrow_connection_get_error (self->connection);
    }

  if (self->connection != NULL && burrow_connection_state_is_elsewhere (self->connection))
    {
      /* Up, but not here: the address works for any tool, and Connect
       * has nothing to add. */
      state_class = "up";
      self->title = burrow_connection_state_dup_title (self->connection);
      self->detail = g_strdup (_("Point your tools at this address. The tunnel runs in another Burrow process: "
                                 "stop it there to run it in this window."));
      shown = BURROW_TUNNEL_UP;
    }
  else switch (shown)
    {
    case BURROW_TUNNEL_UP:
      {
        guint clients = burrow_connection_get_active_connections (self->connection);

        state_class = "up";
        self->title = burrow_connection_state_dup_title (self->connection);
        if (clients > 0)
          self->detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "%u client connected through it",
                                                       "%u clients connected through it", clients),
                                          clients);
        else
          self->detail = g_strdup (_("Point your tools at this address; it reaches the database through the tunnel"));
      }
      break;

    case BURROW_TUNNEL_CONNECTING:
      {
        g_autofree char *route = burrow_connection_dup_route (self->connection);

        state_class = "connecting";
        self->title = burrow_connection_state_dup_title (self->connection);
        self->detail = g_strdup (route);
      }
      break;

    case BURROW_TUNNEL_RECONNECTING:
      state_class = "reconnecting";
      self->title = burrow_connection_state_dup_title (self->connection);
      self->detail = dup_error_text (error, TRUE);
      role = BUTTON_RETRY;
      break;

    case BURROW_TUNNEL_FAILED:
      state_class = "failed";
      self->title = error != NULL ? burrow_error_dup_cause (error) : g_strdup (_("The connection failed"));
      if (is_port_taken (error))
        {
          const char *hint = burrow_error_get_hint (error);

          self->detail = g_strdup_printf ("%s%s%s", hint != NULL ? hint : "", hint != NULL ? " " : "",
                                          _("Burrow never reuses a port that leads somewhere else."));
          role = self->suggested_port != 0 ? BUTTON_USE_PORT : BUTTON_NONE;
        }
      else
        {
          self->detail = dup_error_text (error, FALSE);
          role = BUTTON_TEST;
        }
      break;

    case BURROW_TUNNEL_STOPPED:
    default:
      break;
    }

  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->box), state_classes[i]);
  if (state_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->box), state_class);

  if (self->title != NULL)
    gtk_label_set_label (self->title_label, self->title);

  /* A status bar is announced by its name: the state itself, there even
   * while nothing is shown. */
  {
    g_autofree char *state = self->title != NULL ? g_strdup (self->title)
                             : self->connection != NULL ? burrow_connection_state_dup_title (self->connection)
                             : g_strdup (_("Stopped"));

    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, state, -1);
  }
  gtk_label_set_label (self->detail_label, self->detail);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), self->detail != NULL);
  if (self->detail != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->detail, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  gtk_image_set_from_icon_name (self->icon, shown == BURROW_TUNNEL_UP ? "emblem-ok-symbolic"
                                            : shown == BURROW_TUNNEL_RECONNECTING ? "dialog-warning-symbolic"
                                            : "dialog-error-symbolic");
  gtk_spinner_set_spinning (self->spinner, shown == BURROW_TUNNEL_CONNECTING);
  gtk_stack_set_visible_child_name (self->icon_stack, shown == BURROW_TUNNEL_CONNECTING ? "spinner" : "icon");
  gtk_widget_set_visible (GTK_WIDGET (self->copy_button), shown == BURROW_TUNNEL_UP);
  set_button (self, role);

  gtk_revealer_set_reveal_child (self->revealer, state_class != NULL);

  burrow_connection_state_keep_clock (self->connection, &self->clock_source, on_clock_tick, self);
}

static void
on_connection_notify (BurrowStateBanner *self)
{
  update (self);
}

static void
on_copy_button_clicked (BurrowStateBanner *self)
{
  g_autofree char *address = burrow_connection_state_dup_address (self->connection);
  g_autofree char *message = NULL;

  if (address == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), address);
  /* Translators: %s is a local address, 127.0.0.1:15432 */
  message = g_strdup_printf (_("%s copied"), address);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", message);
}

static void
on_button_clicked (BurrowStateBanner *self)
{
  switch (self->button_role)
    {
    case BUTTON_RETRY:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.retry-now", "s",
                                  burrow_connection_get_id (self->connection));
      break;

    case BUTTON_TEST:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.test-connection", NULL);
      break;

    case BUTTON_USE_PORT:
      gtk_widget_activate_action (GTK_WIDGET (self), "page.use-port", "u", self->suggested_port);
      break;

    case BUTTON_NONE:
    default:
      break;
    }
}

static void
burrow_state_banner_dispose (GObject *object)
{
  BurrowStateBanner *self = (BurrowStateBanner *)object;

  burrow_source_clear (NULL, &self->clock_source);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_clear_object (&self->connection);

  gtk_widget_dispose_template (GTK_WIDGET (self), BURROW_TYPE_STATE_BANNER);

  G_OBJECT_CLASS (burrow_state_banner_parent_class)->dispose (object);
}

static void
burrow_state_banner_finalize (GObject *object)
{
  BurrowStateBanner *self = (BurrowStateBanner *)object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->detail, g_free);

  G_OBJECT_CLASS (burrow_state_banner_parent_class)->finalize (object);
}

static void
burrow_state_banner_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  BurrowStateBanner *self = BURROW_STATE_BANNER (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_SUGGESTED_PORT:
      g_value_set_uint (value, self->suggested_port);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_state_banner_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  BurrowStateBanner *self = BURROW_STATE_BANNER (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      burrow_state_banner_set_connection (self, g_value_get_object (value));
      break;

    case PROP_SUGGESTED_PORT:
      burrow_state_banner_set_suggested_port (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_state_banner_class_init (BurrowStateBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = burrow_state_banner_dispose;
  object_class->finalize = burrow_state_banner_finalize;
  object_class->get_property = burrow_state_banner_get_property;
  object_class->set_property = burrow_state_banner_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, BURROW_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The port "Use Port N" offers when the local port is taken; 0 offers none. */
  properties[PROP_SUGGESTED_PORT] =
    g_param_spec_uint ("suggested-port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "statebanner");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/burrow-state-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, BurrowStateBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, BurrowStateBanner, box);
  gtk_widget_class_bind_template_child (widget_class, BurrowStateBanner, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, BurrowStateBanner, icon);
  gtk_widget_class_bind_template_child (widget_class, BurrowStateBanner, spinner);
  gtk_widget_class_bind_template_child (widget_class, BurrowStateBanner, title_label);
  gtk_widget_class_bind_template_child (widget_class, BurrowStateBanner, detail_label);
  gtk_widget_class_bind_template_child (widget_class, BurrowStateBanner, copy_button);
  gtk_widget_class_bind_template_child (widget_class, BurrowStateBanner, button);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_button_clicked);
}

static void
burrow_state_banner_init (BurrowStateBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

BurrowConnection *
burrow_state_banner_get_connection (BurrowStateBanner *self)
{
  g_return_val_if_fail (BURROW_IS_STATE_BANNER (self), NULL);

  return self->connection;
}

/* @connection: (nullable): the connection to follow; %NULL hides the banner */
void
burrow_state_banner_set_connection (BurrowStateBanner *self,
                                    BurrowConnection  *connection)
{
  g_return_if_fail (BURROW_IS_STATE_BANNER (self));
  g_return_if_fail (connection == NULL || BURROW_IS_CONNECTION (connection));

  if (self->connection == connection)
    return;

  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_set_object (&self->connection, connection);
  if (connection != NULL)
    g_signal_connect_swapped (connection, "notify", G_CALLBACK (on_connection_notify), self);

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

guint
burrow_state_banner_get_suggested_port (BurrowStateBanner *self)
{
  g_return_val_if_fail (BURROW_IS_STATE_BANNER (self), 0);

  return self->suggested_port;
}

void
burrow_state_banner_set_suggested_port (BurrowStateBanner *self,
                                        guint              port)
{
  g_return_if_fail (BURROW_IS_STATE_BANNER (self));

  if (self->suggested_port == port)
    return;

  self->suggested_port = port;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUGGESTED_PORT]);
}

gboolean
burrow_state_banner_get_revealed (BurrowStateBanner *self)
{
  g_return_val_if_fail (BURROW_IS_STATE_BANNER (self), FALSE);

  return gtk_revealer_get_reveal_child (self->revealer);
}

const char *
burrow_state_banner_get_title (BurrowStateBanner *self)
{
  g_return_val_if_fail (BURROW_IS_STATE_BANNER (self), NULL);

  return self->title;
}

const char *
burrow_state_banner_get_detail (BurrowStateBanner *self)
{
  g_return_val_if_fail (BURROW_IS_STATE_BANNER (self), NULL);

  return self->detail;
}

/* The action button (Retry Now, Test, Use Port N), for tests. */
GtkButton *
burrow_state_banner_get_button (BurrowStateBanner *self)
{
  g_return_val_if_fail (BURROW_IS_STATE_BANNER (self), NULL);

  return self->button;
}
