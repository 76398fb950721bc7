/* burrow-tray-menu.c — a GMenuModel exported as com.canonical.dbusmenu.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why this is Burrow's own code: no library fits a GTK 4 application on
 * Debian 12. libdbusmenu-glib has not been maintained since 2018 and its
 * development package pulls in GTK 2 headers; libayatana-appindicator
 * needs GTK 3, which cannot share a process with GTK 4; its GLib-only
 * successor exports org.gtk.Menus, which no tray host reads. The protocol
 * itself is small, and serving it from the application's own GMenuModel
 * keeps the menu in one place and the tray free of GTK.
 *
 * The model is mirrored in a tree of nodes that is rebuilt whole after
 * any change (tray menus are short): rebuilding is simpler to get right
 * than patching, and comparing the new tree with the old one tells which
 * signal a host needs. A node reuses the id of the node in the old tree
 * with the same parent and the same key (kind, action and target, or
 * label), so ids survive changes elsewhere in the menu.
 */

#include "config.h"

#include <string.h>

#include "burrow-source.h"
#include "burrow-tray-dbus.h"
#include "burrow-tray-menu.h"

#define DBUSMENU_INTERFACE "com.canonical.dbusmenu"
#define ACTION_NAMESPACE   "app."

typedef enum
{
  NODE_ROOT,
  NODE_ITEM,
  NODE_SUBMENU,
  NODE_SEPARATOR,
  NODE_HEADER,
} NodeKind;

typedef enum
{
  HIDDEN_NEVER                = 0,
  HIDDEN_WHEN_ACTION_MISSING  = 1 << 0,
  HIDDEN_WHEN_ACTION_DISABLED = 1 << 1,
} HiddenWhen;

typedef struct _Node Node;

struct _Node
{
  int         id;
  NodeKind    kind;
  Node       *parent;
  GPtrArray  *children;      /* of Node, owned */
  char       *key;           /* unique among the parent's children */
  char       *label;
  char       *icon_name;
  gboolean    names_action;  /* set even when the name is outside "app." */
  char       *action;        /* the name in the group, or NULL */
  GVariant   *target;
  HiddenWhen  hidden_when;
  GVariant   *properties;    /* a{sv}, as a host would read them now */
};

struct _BurrowTrayMenu
{
  GObject          parent_instance;

  GMenuModel      *model;
  GActionGroup    *actions;
  GMainContext    *context;

  GDBusConnection *bus;
  char            *object_path;
  guint            registration_id;

  Node            *root;
  GHashTable      *nodes;        /* id → Node, borrowed from the tree */
  GHashTable      *watched;      /* GMenuModel → itself, one ref each */
  int              next_id;
  guint            revision;
  guint            refresh_source;
};

G_DEFINE_FINAL_TYPE (BurrowTrayMenu, burrow_tray_menu, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_ACTIONS,
  PROP_REVISION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char dbusmenu_xml[] =
  "<node>"
  "  <interface name='" DBUSMENU_INTERFACE "'>"
  "    <property name='Version' type='u' access='read'/>"
  "    <property name='TextDirection' type='s' access='read'/>"
  "    <property name='Status' type='s' access='read'/>"
  "    <property name='IconThemePath' type='as' access='read'/>"
  "    <method name='GetLayout'>"
  "      <arg type='i' name='parentId' direction='in'/>"
  "      <arg type='i' name='recursionDepth' direction='in'/>"
  "      <arg type='as' name='propertyNames' direction='in'/>"
  "      <arg type='u' name='revision' direction='out'/>"
  "      <arg type='(ia{sv}av)' name='layout' direction='out'/>"
  "    </method>"
  "    <method name='GetGroupProperties'>"
  "      <arg type='ai' name='ids' direction='in'/>"
  "      <arg type='as' name='propertyNames' direction='in'/>"
  "      <arg type='a(ia{sv})' name='properties' direction='out'/>"
  "    </method>"
  "    <method name='GetProperty'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='s' name='name' direction='in'/>"
  "      <arg type='v' name='value' direction='out'/>"
  "    </method>"
  "    <method name='Event'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='s' name='eventId' direction='in'/>"
  "      <arg type='v' name='data' direction='in'/>"
  "      <arg type='u' name='timestamp' direction='in'/>"
  "    </method>"
  "    <method name='EventGroup'>"
  "      <arg type='a(isvu)' name='events' direction='in'/>"
  "      <arg type='ai' name='idErrors' direction='out'/>"
  "    </method>"
  "    <method name='AboutToShow'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='b' name='needUpdate' direction='out'/>"
  "    </method>"
  "    <method name='AboutToShowGroup'>"
  "      <arg type='ai' name='ids' direction='in'/>"
  "      <arg type='ai' name='updatesNeeded' direction='out'/>"
  "      <arg type='ai' name='idErrors' direction='out'/>"
  "    </method>"
  "    <signal name='ItemsPropertiesUpdated'>"
  "      <arg type='a(ia{sv})' name='updatedProps'/>"
  "      <arg type='a(ias)' name='removedProps'/>"
  "    </signal>"
  "    <signal name='LayoutUpdated'>"
  "      <arg type='u' name='revision'/>"
  "      <arg type='i' name='parent'/>"
  "    </signal>"
  "    <signal name='ItemActivationRequested'>"
  "      <arg type='i' name='id'/>"
  "      <arg type='u' name='timestamp'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

static GDBusInterfaceInfo *
get_interface_info (void)
{
  static GDBusNodeInfo *info;

  return burrow_tray_dbus_interface (&info, dbusmenu_xml);
}

/* The tree */

static void
node_free (gpointer data)
{
  Node *node = data;

  g_clear_pointer (&node->children, g_ptr_array_unref);
  g_clear_pointer (&node->key, g_free);
  g_clear_pointer (&node->label, g_free);
  g_clear_pointer (&node->icon_name, g_free);
  g_clear_pointer (&node->action, g_free);
  g_clear_pointer (&node->target, g_variant_unref);
  g_clear_pointer (&node->properties, g_variant_unref);
  g_free (node);
}

static Node *
node_new (NodeKind kind)
{
  Node *node = g_new0 (Node, 1);

  node->kind = kind;
  if (kind == NODE_ROOT || kind == NODE_SUBMENU)
    node->children = g_ptr_array_new_with_free_func (node_free);

  return node;
}

static Node *
node_find_child (Node       *parent,
                 const char *key)
{
  if (parent == NULL || parent->children == NULL)
    return NULL;

  for (guint i = 0; i < parent->children->len; i++)
    {
      Node *child = g_ptr_array_index (parent->children, i);

      if (g_str_equal (child->key, key))
        return child;
    }

  return NULL;
}

/* Where one menu level is being filled: sections of the model flatten
 * into it, with a separator between a section and what comes before or
 * after it, as GTK draws them. */
typedef struct
{
  BurrowTrayMenu *self;
  Node           *parent;
  Node           *old_parent;
  GHashTable     *old_nodes;
  GHashTable     *key_counts;
  gboolean        separator_pending;
  guint           n_separators;
} Level;

static void build_level (BurrowTrayMenu *self,
                         Node           *parent,
                         GHashTable     *old_nodes,
                         GMenuModel     *model);

static void
watch_model (BurrowTrayMenu *self,
             GMenuModel     *model);

static void
level_add (Level *level,
           Node  *node,
           char  *base_key)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (level->key_counts, base_key));
  Node *old;

  g_hash_table_insert (level->key_counts, g_strdup (base_key), GUINT_TO_POINTER (count + 1));
  if (count == 0)
    node->key = base_key;
  else
    {
      node->key = g_strdup_printf ("%s#%u", base_key, count);
      g_free (base_key);
    }

  old = node_find_child (level->old_parent, node->key);
  node->id = old != NULL ? old->id : level->self->next_id++;
  node->parent = level->parent;
  g_ptr_array_add (level->parent->children, node);
  g_hash_table_insert (level->self->nodes, GINT_TO_POINTER (node->id), node);
}

static void
level_flush_separator (Level *level)
{
  if (!level->separator_pending)
    return;

  level->separator_pending = FALSE;
  level_add (level, node_new (NODE_SEPARATOR),
             g_strdup_printf ("separator %u", level->n_separators++));
}

static char *
get_icon_name (GMenuModel *model,
               int         index)
{
  g_autoptr(GVariant) serialized = NULL;
  g_autoptr(GIcon) icon = NULL;

  serialized = g_menu_model_get_item_attribute_value (model, index, G_MENU_ATTRIBUTE_ICON, NULL);
  if (serialized == NULL)
    return NULL;

  icon = g_icon_deserialize (serialized);
  if (G_IS_THEMED_ICON (icon))
    {
      const char * const *names = g_themed_icon_get_names (G_THEMED_ICON (icon));

      if (names != NULL && names[0] != NULL)
        return g_strdup (names[0]);
    }

  return NULL;
}

static void
level_add_item (Level      *level,
                GMenuModel *model,
                int         index)
{
  g_autoptr(GMenuModel) submenu = NULL;
  g_autofree char *hidden_when = NULL;
  g_autofree char *action = NULL;
  g_autofree char *target_text = NULL;
  char *key;
  Node *node;

  level_flush_separator (level);

  submenu = g_menu_model_get_item_link (model, index, G_MENU_LINK_SUBMENU);
  node = node_new (submenu != NULL ? NODE_SUBMENU : NODE_ITEM);

  g_menu_model_get_item_attribute (model, index, G_MENU_ATTRIBUTE_LABEL, "s", &node->label);
  node->icon_name = get_icon_name (model, index);

  if (g_menu_model_get_item_attribute (model, index, G_MENU_ATTRIBUTE_ACTION, "s", &action))
    {
      node->names_action = TRUE;
      if (g_str_has_prefix (action, ACTION_NAMESPACE))
        node->action = g_strdup (action + strlen (ACTION_NAMESPACE));
      node->target = g_menu_model_get_item_attribute_value (model, index,
                                                            G_MENU_ATTRIBUTE_TARGET, NULL);
    }

  if (g_menu_model_get_item_attribute (model, index, "hidden-when", "s", &hidden_when))
    {
      if (g_str_equal (hidden_when, "action-missing"))
        node->hidden_when = HIDDEN_WHEN_ACTION_MISSING;
      else if (g_str_equal (hidden_when, "action-disabled"))
        node->hidden_when = HIDDEN_WHEN_ACTION_MISSING | HIDDEN_WHEN_ACTION_DISABLED;
    }

  if (node->target != NULL)
    target_text = g_variant_print (node->target, TRUE);

  if (node->kind == NODE_SUBMENU)
    key = g_strdup_printf ("submenu %s", node->label ? node->label : "");
  else if (action != NULL)
    key = g_strdup_printf ("action %s %s", action, target_text ? target_text : "");
  else
    key = g_strdup_printf ("label %s", node->label ? node->label : "");

  level_add (level, node, key);

  if (submenu != NULL)
    build_level (level->self, node, level->old_nodes, submenu);
}

static void
level_add_model (Level      *level,
                 GMenuModel *model)
{
  int n_items;

  watch_model (level->self, model);
  n_items = g_menu_model_get_n_items (model);

  for (int i = 0; i < n_items; i++)
    {
      g_autoptr(GMenuModel) section = NULL;
      g_autofree char *label = NULL;

      section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      if (section == NULL)
        {
          level_add_item (level, model, i);
          continue;
        }

      if (level->parent->children->len > 0)
        level->separator_pending = TRUE;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        {
          Node *header = node_new (NODE_HEADER);

          level_flush_separator (level);
          header->label = g_strdup (label);
          level_add (level, header, g_strdup_printf ("header %s", label));
        }

      level_add_model (level, section);

      if (level->parent->children->len > 0)
        level->separator_pending = TRUE;
    }
}

static void
build_level (BurrowTrayMenu *self,
             Node           *parent,
             GHashTable     *old_nodes,
             GMenuModel     *model)
{
  Level level = {
    .self = self,
    .parent = parent,
    .old_parent = old_nodes != NULL ? g_hash_table_lookup (old_nodes, GINT_TO_POINTER (parent->id)) : NULL,
    .old_nodes = old_nodes,
    .key_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };

  level_add_model (&level, model);
  g_hash_table_unref (level.key_counts);
}

/* Properties */

static GVariant *
compute_properties (BurrowTrayMenu *self,
                    Node           *node)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);

  switch (node->kind)
    {
    case NODE_ROOT:
      g_variant_dict_insert (&dict, "children-display", "s", "submenu");
      break;

    case NODE_SEPARATOR:
      g_variant_dict_insert (&dict, "type", "s", "separator");
      g_variant_dict_insert (&dict, "visible", "b", TRUE);
      break;

    case NODE_HEADER:
      g_variant_dict_insert (&dict, "label", "s", node->label);
      g_variant_dict_insert (&dict, "enabled", "b", FALSE);
      g_variant_dict_insert (&dict, "visible", "b", TRUE);
      break;

    case NODE_SUBMENU:
      g_variant_dict_insert (&dict, "label", "s", node->label ? node->label : "");
      g_variant_dict_insert (&dict, "enabled", "b", TRUE);
      g_variant_dict_insert (&dict, "visible", "b", TRUE);
      g_variant_dict_insert (&dict, "children-display", "s", "submenu");
      if (node->icon_name != NULL)
        g_variant_dict_insert (&dict, "icon-name", "s", node->icon_name);
      break;

    case NODE_ITEM:
    default:
      {
        const GVariantType *parameter_type = NULL;
        g_autoptr(GVariant) state = NULL;
        gboolean exists = FALSE;
        gboolean enabled = FALSE;
        gboolean visible = TRUE;

        if (node->action != NULL && self->actions != NULL)
          exists = g_action_group_query_action (self->actions, node->action, &enabled,
                                                &parameter_type, NULL, NULL, &state);

        /* An item whose target does not fit the action's parameter could
         * only fail when clicked: GTK shows it insensitive, and so do we. */
        if (exists && enabled)
          {
            if (node->target == NULL)
              enabled = parameter_type == NULL;
            else
              enabled = parameter_type != NULL &&
                        g_variant_is_of_type (node->target, parameter_type);
          }

        if ((node->hidden_when & HIDDEN_WHEN_ACTION_MISSING) && !exists)
          visible = FALSE;
        if ((node->hidden_when & HIDDEN_WHEN_ACTION_DISABLED) && !enabled)
          visible = FALSE;

        g_variant_dict_insert (&dict, "label", "s", node->label ? node->label : "");
        g_variant_dict_insert (&dict, "enabled", "b", exists && enabled);
        g_variant_dict_insert (&dict, "visible", "b", visible);
        if (node->icon_name != NULL)
          g_variant_dict_insert (&dict, "icon-name", "s", node->icon_name);

        if (state != NULL && node->target == NULL &&
            g_variant_is_of_type (state, G_VARIANT_TYPE_BOOLEAN))
          {
            g_variant_dict_insert (&dict, "toggle-type", "s", "checkmark");
            g_variant_dict_insert (&dict, "toggle-state", "i", g_variant_get_boolean (state) ? 1 : 0);
          }
        else if (state != NULL && node->target != NULL &&
                 g_variant_is_of_type (state, g_variant_get_type (node->target)))
          {
            g_variant_dict_insert (&dict, "toggle-type", "s", "radio");
            g_variant_dict_insert (&dict, "toggle-state", "i", g_variant_equal (state, node->target) ? 1 : 0);
          }
      }
      break;
    }

  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

static void
compute_all_properties (BurrowTrayMenu *self,
                        Node           *node)
{
  g_clear_pointer (&node->properties, g_variant_unref);
  node->properties = compute_properties (self, node);

  if (node->children != NULL)
    for (guint i = 0; i < node->children->len; i++)
      compute_all_properties (self, g_ptr_array_index (node->children, i));
}

/* Only the properties a host asked for; all of them when it named none. */
static GVariant *
filter_properties (GVariant           *all,
                   const char * const *names)
{
  GVariantBuilder builder;
  GVariantIter iter;
  const char *name;
  GVariant *value;

  if (names == NULL || names[0] == NULL)
    return all;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, all);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      if (g_strv_contains (names, name))
        g_variant_builder_add (&builder, "{sv}", name, value);
      g_variant_unref (value);
    }

  return g_variant_builder_end (&builder);
}

static GVariant *
node_to_layout (Node               *node,
                int                 depth,
                const char * const *names)
{
  GVariantBuilder children;

  g_variant_builder_init (&children, G_VARIANT_TYPE ("av"));

  if (depth != 0 && node->children != NULL)
    {
      for (guint i = 0; i < node->children->len; i++)
        g_variant_builder_add (&children, "v",
                               node_to_layout (g_ptr_array_index (node->children, i),
                                               depth > 0 ? depth - 1 : depth, names));
    }

  return g_variant_new ("(i@a{sv}av)", node->id,
                        filter_properties (node->properties, names), &children);
}

/* Comparing the trees */

static gboolean
same_children (Node *a,
               Node *b)
{
  if (a->children->len != b->children->len)
    return FALSE;

  for (guint i = 0; i < a->children->len; i++)
    {
      Node *ca = g_ptr_array_index (a->children, i);
      Node *cb = g_ptr_array_index (b->children, i);

      if (ca->id != cb->id)
        return FALSE;
    }

  return TRUE;
}

/* Adds to @updated and @removed what changed in @node's properties since
 * @old; returns whether anything did. */
static gboolean
diff_properties (Node            *node,
                 Node            *old,
                 GVariantBuilder *updated,
                 GVariantBuilder *removed)
{
  GVariantDict old_dict;
  GVariantDict new_dict;
  GVariantBuilder changed;
  GVariantBuilder gone;
  gboolean any_changed = FALSE;
  gboolean any_gone = FALSE;
  GVariantIter iter;
  const char *name;
  GVariant *value;

  g_variant_dict_init (&old_dict, old->properties);
  g_variant_dict_init (&new_dict, node->properties);
  g_variant_builder_init (&changed, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_init (&gone, G_VARIANT_TYPE_STRING_ARRAY);

  g_variant_iter_init (&iter, node->properties);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      g_autoptr(GVariant) before = g_variant_dict_lookup_value (&old_dict, name, NULL);

      if (before == NULL || !g_variant_equal (before, value))
        {
          g_variant_builder_add (&changed, "{sv}", name, value);
          any_changed = TRUE;
        }
      g_variant_unref (value);
    }

  g_variant_iter_init (&iter, old->properties);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      if (!g_variant_dict_contains (&new_dict, name))
        {
          g_variant_builder_add (&gone, "s", name);
          any_gone = TRUE;
        }
      g_variant_unref (value);
    }

  if (any_changed)
    g_variant_builder_add (updated, "(i@a{sv})", node->id, g_variant_builder_end (&changed));
  else
    g_variant_builder_clear (&changed);

  if (any_gone)
    g_variant_builder_add (removed, "(i@as)", node->id, g_variant_builder_end (&gone));
  else
    g_variant_builder_clear (&gone);

  g_variant_dict_clear (&old_dict);
  g_variant_dict_clear (&new_dict);

  return any_changed || any_gone;
}

static void
emit_signal (BurrowTrayMenu *self,
             const char     *name,
             GVariant       *parameters)
{
  burrow_tray_dbus_emit (self->bus, self->registration_id != 0,
                         self->object_path, DBUSMENU_INTERFACE, name, parameters);
}

static void
unwatch_models (BurrowTrayMenu *self);

/* Rebuilds the tree from the model and tells hosts what changed. */
static void
refresh (BurrowTrayMenu *self)
{
  g_autoptr(GHashTable) old_nodes = NULL;
  Node *old_root;
  GVariantBuilder updated;
  GVariantBuilder removed;
  gboolean properties_changed = FALSE;
  int layout_parent = -1;
  GHashTableIter iter;
  gpointer value;

  burrow_source_clear (self->context, &self->refresh_source);

  old_root = g_steal_pointer (&self->root);
  old_nodes = g_steal_pointer (&self->nodes);

  unwatch_models (self);
  self->nodes = g_hash_table_new (NULL, NULL);
  self->root = node_new (NODE_ROOT);
  self->root->id = 0;
  self->root->key = g_strdup ("root");
  g_hash_table_insert (self->nodes, GINT_TO_POINTER (0), self->root);
  if (self->model != NULL)
    build_level (self, self->root, old_nodes, self->model);
  compute_all_properties (self, self->root);

  if (old_root == NULL)
    return;

  g_variant_builder_init (&updated, G_VARIANT_TYPE ("a(ia{sv})"));
  g_variant_builder_init (&removed, G_VARIANT_TYPE ("a(ias)"));

  g_hash_table_iter_init (&iter, self->nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Node *node = value;
      Node *old = g_hash_table_lookup (old_nodes, GINT_TO_POINTER (node->id));

      /* A new node shows up as a change in its parent's children. */
      if (old == NULL)
        continue;

      if (node->children != NULL && old->children != NULL && !same_children (node, old))
        {
          /* One menu changed: hosts refetch that one; several: all. */
          layout_parent = layout_parent == -1 ? node->id : 0;
        }

      if (diff_properties (node, old, &updated, &removed))
        properties_changed = TRUE;
    }

  if (layout_parent != -1)
    {
      self->revision++;
      emit_signal (self, "LayoutUpdated", g_variant_new ("(ui)", self->revision, layout_parent));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVISION]);
    }

  if (properties_changed)
    emit_signal (self, "ItemsPropertiesUpdated",
                 g_variant_new ("(a(ia{sv})a(ias))", &updated, &removed));
  else
    {
      g_variant_builder_clear (&updated);
      g_variant_builder_clear (&removed);
    }

  node_free (old_root);
}

static gboolean
on_refresh_idle (gpointer user_data)
{
  BurrowTrayMenu *self = user_data;

  self->refresh_source = 0;
  refresh (self);

  return G_SOURCE_REMOVE;
}

/* Several changes in a row (a model rebuilt item by item, a state and
 * the label that shows it) become one update for the hosts. */
static void
queue_refresh (BurrowTrayMenu *self)
{
  if (self->refresh_source != 0)
    return;

  self->refresh_source = burrow_source_attach (self->context, g_idle_source_new (),
                                               on_refresh_idle, self);
}

/* A host that asks must get the menu as it is now, not as it was before
 * a change that is still queued. */
static void
ensure_current (BurrowTrayMenu *self)
{
  if (self->refresh_source != 0)
    refresh (self);
}

/* Callbacks */

static void
on_model_items_changed (GMenuModel *model,
                        int         position,
                        int         removed,
                        int         added,
                        gpointer    user_data)
{
  queue_refresh (BURROW_TRAY_MENU (user_data));
}

static void
watch_model (BurrowTrayMenu *self,
             GMenuModel     *model)
{
  if (g_hash_table_contains (self->watched, model))
    return;

  g_hash_table_add (self->watched, g_object_ref (model));
  g_signal_connect_object (model, "items-changed",
                           G_CALLBACK (on_model_items_changed), self, 0);
}

static void
unwatch_models (BurrowTrayMenu *self)
{
  GHashTableIter iter;
  gpointer model;

  g_hash_table_iter_init (&iter, self->watched);
  while (g_hash_table_iter_next (&iter, &model, NULL))
    {
      g_signal_handlers_disconnect_by_func (model, on_model_items_changed, self);
      g_hash_table_iter_remove (&iter);
    }
}

static void
on_action_changed (GActionGroup *actions,
                   const char   *action_name,
                   gpointer      user_data)
{
  queue_refresh (BURROW_TRAY_MENU (user_data));
}

static void
on_action_enabled_changed (GActionGroup *actions,
                           const char   *action_name,
                           gboolean      enabled,
                           gpointer      user_data)
{
  queue_refresh (BURROW_TRAY_MENU (user_data));
}

static void
on_action_state_changed (GActionGroup *actions,
                         const char   *action_name,
                         GVariant     *state,
                         gpointer      user_data)
{
  queue_refresh (BURROW_TRAY_MENU (user_data));
}

/* D-Bus */

static Node *
lookup_node (BurrowTrayMenu *self,
             int             id)
{
  return g_hash_table_lookup (self->nodes, GINT_TO_POINTER (id));
}

static void
return_no_item (GDBusMethodInvocation *invocation,
                int                    id)
{
  g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                         "There is no menu item %d", id);
}

/* Returns FALSE when there is no item @id. */
static gboolean
handle_event (BurrowTrayMenu *self,
              int             id,
              const char     *event_id)
{
  Node *node = lookup_node (self, id);
  g_autoptr(GVariant) enabled = NULL;

  if (node == NULL)
    return FALSE;

  /* "opened", "closed" and "hovered" need nothing from a model's menu. */
  if (!g_str_equal (event_id, "clicked") || node->kind != NODE_ITEM ||
      node->action == NULL || self->actions == NULL)
    return TRUE;

  /* The host may show an item as it was a moment ago; only what is
   * enabled now is activated. */
  enabled = g_variant_lookup_value (node->properties, "enabled", G_VARIANT_TYPE_BOOLEAN);
  if (enabled == NULL || !g_variant_get_boolean (enabled))
    return TRUE;

  g_action_group_activate_action (self->actions, node->action, node->target);

  return TRUE;
}

static void
handle_get_layout (BurrowTrayMenu        *self,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation)
{
  g_autofree const char **names = NULL;
  int parent_id;
  int depth;
  Node *node;

  g_variant_get (parameters, "(ii^a&s)", &parent_id, &depth, &names);

  node = lookup_node (self, parent_id);
  if (node == NULL)
    {
      return_no_item (invocation, parent_id);
      return;
    }

  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(u@(ia{sv}av))", self->revision,
                                                        node_to_layout (node, depth, names)));
}

static void
add_group_properties (GVariantBuilder    *builder,
                      Node               *node,
                      const char * const *names)
{
  g_variant_builder_add (builder, "(i@a{sv})", node->id,
                         filter_properties (node->properties, names));

  if (node->children != NULL)
    for (guint i = 0; i < node->children->len; i++)
      add_group_properties (builder, g_ptr_array_index (node->children, i), names);
}

static void
handle_get_group_properties (BurrowTrayMenu        *self,
                             GVariant              *parameters,
                             GDBusMethodInvocation *invocation)
{
  g_autoptr(GVariantIter) ids = NULL;
  g_autofree const char **names = NULL;
  GVariantBuilder builder;
  gboolean any = FALSE;
  int id;

  g_variant_get (parameters, "(ai^a&s)", &ids, &names);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ia{sv})"));

  while (g_variant_iter_next (ids, "i", &id))
    {
      Node *node = lookup_node (self, id);

      any = TRUE;
      if (node != NULL)
        g_variant_builder_add (&builder, "(i@a{sv})", node->id,
                               filter_properties (node->properties, names));
    }

  /* No ids asks for every item. */
  if (!any)
    add_group_properties (&builder, self->root, names);

  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a(ia{sv}))", &builder));
}

static void
handle_get_property (BurrowTrayMenu        *self,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation)
{
  g_autoptr(GVariant) value = NULL;
  const char *name;
  Node *node;
  int id;

  g_variant_get (parameters, "(i&s)", &id, &name);

  node = lookup_node (self, id);
  if (node == NULL)
    {
      return_no_item (invocation, id);
      return;
    }

  value = g_variant_lookup_value (node->properties, name, NULL);
  if (value == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                             "Menu item %d has no property “%s”", id, name);
      return;
    }

  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(v)", value));
}

static void
handle_event_method (BurrowTrayMenu        *self,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation)
{
  const char *event_id;
  int id;

  g_variant_get (parameters, "(i&svu)", &id, &event_id, NULL, NULL);

  if (lookup_node (self, id) == NULL)
    {
      return_no_item (invocation, id);
      return;
    }

  /* Answer first: the action may quit the application or drop the menu. */
  g_dbus_method_invocation_return_value (invocation, NULL);
  handle_event (self, id, event_id);
}

static void
handle_event_group (BurrowTrayMenu        *self,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation)
{
  g_autoptr(GVariant) events = g_variant_get_child_value (parameters, 0);
  GVariantBuilder errors;
  GVariantIter iter;
  const char *event_id;
  int id;

  g_variant_builder_init (&errors, G_VARIANT_TYPE ("ai"));
  g_variant_iter_init (&iter, events);
  while (g_variant_iter_next (&iter, "(i&svu)", &id, &event_id, NULL, NULL))
    if (lookup_node (self, id) == NULL)
      g_variant_builder_add (&errors, "i", id);

  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ai)", &errors));

  g_variant_iter_init (&iter, events);
  while (g_variant_iter_next (&iter, "(i&svu)", &id, &event_id, NULL, NULL))
    handle_event (self, id, event_id);
}

static void
handle_about_to_show_group (BurrowTrayMenu        *self,
                            GVariant              *parameters,
                            GDBusMethodInvocation *invocation)
{
  g_autoptr(GVariantIter) ids = NULL;
  GVariantBuilder errors;
  int id;

  g_variant_get (parameters, "(ai)", &ids);
  g_variant_builder_init (&errors, G_VARIANT_TYPE ("ai"));

  while (g_variant_iter_next (ids, "i", &id))
    if (lookup_node (self, id) == NULL)
      g_variant_builder_add (&errors, "i", id);

  /* The tree is always current (ensure_current), so no item needs an
   * update before it is shown. */
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(@aiai)",
                                                        g_variant_new_array (G_VARIANT_TYPE_INT32, NULL, 0),
                                                        &errors));
}

static void
on_method_call (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  g_autoptr(BurrowTrayMenu) self = g_object_ref (BURROW_TRAY_MENU (user_data));

  ensure_current (self);

  if (g_str_equal (method_name, "GetLayout"))
    handle_get_layout (self, parameters, invocation);
  else if (g_str_equal (method_name, "GetGroupProperties"))
    handle_get_group_properties (self, parameters, invocation);
  else if (g_str_equal (method_name, "GetProperty"))
    handle_get_property (self, parameters, invocation);
  else if (g_str_equal (method_name, "Event"))
    handle_event_method (self, parameters, invocation);
  else if (g_str_equal (method_name, "EventGroup"))
    handle_event_group (self, parameters, invocation);
  else if (g_str_equal (method_name, "AboutToShow"))
    {
      int id;

      g_variant_get (parameters, "(i)", &id);
      if (lookup_node (self, id) == NULL)
        return_no_item (invocation, id);
      else
        g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", FALSE));
    }
  else if (g_str_equal (method_name, "AboutToShowGroup"))
    handle_about_to_show_group (self, parameters, invocation);
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "Unknown method %s", method_name);
}

/* GTK's own catalogue says which way the user's language is written
 * (translators of GTK set "default:RTL"); reading it needs no GTK. */
static const char *
get_text_direction (void)
{
  if (g_str_equal (g_dgettext ("gtk40", "default:LTR"), "default:RTL"))
    return "rtl";

  return "ltr";
}

static GVariant *
on_get_property (GDBusConnection  *connection,
                 const char       *sender,
                 const char       *object_path,
                 const char       *interface_name,
                 const char       *property_name,
                 GError          **error,
                 gpointer          user_data)
{
  if (g_str_equal (property_name, "Version"))
    return g_variant_new_uint32 (3);
  if (g_str_equal (property_name, "TextDirection"))
    return g_variant_new_string (get_text_direction ());
  if (g_str_equal (property_name, "Status"))
    return g_variant_new_string ("normal");
  if (g_str_equal (property_name, "IconThemePath"))
    return g_variant_new_strv (NULL, 0);

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
               "Unknown property %s", property_name);
  return NULL;
}

static const GDBusInterfaceVTable dbusmenu_vtable = {
  .method_call = on_method_call,
  .get_property = on_get_property,
};

/* GObject */

static void
burrow_tray_menu_constructed (GObject *object)
{
  BurrowTrayMenu *self = BURROW_TRAY_MENU (object);

  G_OBJECT_CLASS (burrow_tray_menu_parent_class)->constructed (object);

  if (self->actions != NULL)
    {
      g_signal_connect_object (self->actions, "action-added",
                               G_CALLBACK (on_action_changed), self, 0);
      g_signal_connect_object (self->actions, "action-removed",
                               G_CALLBACK (on_action_changed), self, 0);
      g_signal_connect_object (self->actions, "action-enabled-changed",
                               G_CALLBACK (on_action_enabled_changed), self, 0);
      g_signal_connect_object (self->actions, "action-state-changed",
                               G_CALLBACK (on_action_state_changed), self, 0);
    }

  refresh (self);
}

static void
burrow_tray_menu_dispose (GObject *object)
{
  BurrowTrayMenu *self = BURROW_TRAY_MENU (object);

  burrow_tray_menu_unexport (self);
  burrow_source_clear (self->context, &self->refresh_source);
  if (self->watched != NULL)
    unwatch_models (self);
  g_clear_object (&self->model);
  g_clear_object (&self->actions);

  G_OBJECT_CLASS (burrow_tray_menu_parent_class)->dispose (object);
}

static void
burrow_tray_menu_finalize (GObject *object)
{
  BurrowTrayMenu *self = BURROW_TRAY_MENU (object);

  g_clear_pointer (&self->root, node_free);
  g_clear_pointer (&self->nodes, g_hash_table_unref);
  g_clear_pointer (&self->watched, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (burrow_tray_menu_parent_class)->finalize (object);
}

static void
burrow_tray_menu_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BurrowTrayMenu *self = BURROW_TRAY_MENU (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_ACTIONS:
      g_value_set_object (value, self->actions);
      break;

    case PROP_REVISION:
      g_value_set_uint (value, self->revision);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_tray_menu_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BurrowTrayMenu *self = BURROW_TRAY_MENU (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      self->model = g_value_dup_object (value);
      break;

    case PROP_ACTIONS:
      self->actions = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
burrow_tray_menu_class_init (BurrowTrayMenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = burrow_tray_menu_constructed;
  object_class->dispose = burrow_tray_menu_dispose;
  object_class->finalize = burrow_tray_menu_finalize;
  object_class->get_property = burrow_tray_menu_get_property;
  object_class->set_property = burrow_tray_menu_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         G_TYPE_MENU_MODEL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_ACTIONS] =
    g_param_spec_object ("actions", NULL, NULL,
                         G_TYPE_ACTION_GROUP,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  /* Grows each time LayoutUpdated is sent. */
  properties[PROP_REVISION] =
    g_param_spec_uint ("revision", NULL, NULL,
                       0, G_MAXUINT, 1,
                       (G_PARAM_READABLE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
burrow_tray_menu_init (BurrowTrayMenu *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->watched = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->next_id = 1;
  self->revision = 1;
}

/* Public API */

/**
 * burrow_tray_menu_new:
 * @model: (nullable): the menu; items name actions as "app.NAME"
 * @actions: (nullable): where NAME is looked up and activated
 *
 * The menu lives on the thread-default main context of the caller.
 */
BurrowTrayMenu *
burrow_tray_menu_new (GMenuModel   *model,
                      GActionGroup *actions)
{
  g_return_val_if_fail (model == NULL || G_IS_MENU_MODEL (model), NULL);
  g_return_val_if_fail (actions == NULL || G_IS_ACTION_GROUP (actions), NULL);

  return g_object_new (BURROW_TYPE_TRAY_MENU,
                       "model", model,
                       "actions", actions,
                       NULL);
}

gboolean
burrow_tray_menu_export (BurrowTrayMenu   *self,
                         GDBusConnection  *bus,
                         const char       *object_path,
                         GError          **error)
{
  guint id;

  g_return_val_if_fail (BURROW_IS_TRAY_MENU (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (bus), FALSE);
  g_return_val_if_fail (g_variant_is_object_path (object_path), FALSE);
  g_return_val_if_fail (self->registration_id == 0, FALSE);

  id = g_dbus_connection_register_object (bus, object_path, get_interface_info (),
                                          &dbusmenu_vtable, self, NULL, error);
  if (id == 0)
    return FALSE;

  self->registration_id = id;
  self->bus = g_object_ref (bus);
  self->object_path = g_strdup (object_path);

  return TRUE;
}

void
burrow_tray_menu_unexport (BurrowTrayMenu *self)
{
  g_return_if_fail (BURROW_IS_TRAY_MENU (self));

  if (self->registration_id != 0)
    g_dbus_connection_unregister_object (self->bus, self->registration_id);
  self->registration_id = 0;
  g_clear_object (&self->bus);
  g_clear_pointer (&self->object_path, g_free);
}

GMenuModel *
burrow_tray_menu_get_model (BurrowTrayMenu *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY_MENU (self), NULL);

  return self->model;
}

GActionGroup *
burrow_tray_menu_get_actions (BurrowTrayMenu *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY_MENU (self), NULL);

  return self->actions;
}

const char *
burrow_tray_menu_get_object_path (BurrowTrayMenu *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY_MENU (self), NULL);

  return self->object_path;
}

guint
burrow_tray_menu_get_revision (BurrowTrayMenu *self)
{
  g_return_val_if_fail (BURROW_IS_TRAY_MENU (self), 0);

  return self->revision;
}
