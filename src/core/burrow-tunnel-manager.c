/* burrow-tunnel-manager.c — all tunnels, sharing sessions to the same bastion account.
 *
 * Copyright 2026 The Burrow authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The manager is a GListModel of tunnels for the window and the tray. Two
 * tunnels that log in to the same account through the same hops (and with
 * the same way of authenticating) get one chain, and with it one SSH
 * session: one login and one set of keepalives for both, and channels
 * multiplexed over it. Whoever holds the manager (the engine) watches the
 * network and resume from sleep once for all its chains.
 */

#include "config.h"

#include "burrow-tunnel-manager.h"

typedef struct
{
  BurrowSshChain *chain;
  guint           users;
} SharedChain;

struct _BurrowTunnelManager
{
  GObject parent_instance;

  GPtrArray  *tunnels;
  GHashTable *chains;   /* key → SharedChain */
  int         io_priority;
};

static void burrow_tunnel_manager_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BurrowTunnelManager, burrow_tunnel_manager, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      burrow_tunnel_manager_list_model_init))

static void
shared_chain_free (SharedChain *shared)
{
  g_object_unref (shared->chain);
  g_free (shared);
}

static void
forget_chain (BurrowTunnelManager *self,
              BurrowTunnel        *tunnel)
{
  BurrowSshChain *chain = burrow_tunnel_get_chain (tunnel);
  SharedChain *shared;

  if (chain == NULL)
    return;

  shared = g_hash_table_lookup (self->chains, burrow_ssh_chain_get_key (chain));
  if (shared != NULL && shared->chain == chain && --shared->users == 0)
    g_hash_table_remove (self->chains, burrow_ssh_chain_get_key (chain));
}

static GType
burrow_tunnel_manager_get_item_type (GListModel *model)
{
  (void)model;

  return BURROW_TYPE_TUNNEL;
}

static guint
burrow_tunnel_manager_get_n_items (GListModel *model)
{
  return BURROW_TUNNEL_MANAGER (model)->tunnels->len;
}

static gpointer
burrow_tunnel_manager_get_item (GListModel *model,
                                guint       position)
{
  BurrowTunnelManager *self = BURROW_TUNNEL_MANAGER (model);

  if (position >= self->tunnels->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->tunnels, position));
}

static void
burrow_tunnel_manager_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = burrow_tunnel_manager_get_item_type;
  iface->get_n_items = burrow_tunnel_manager_get_n_items;
  iface->get_item = burrow_tunnel_manager_get_item;
}

static void
burrow_tunnel_manager_dispose (GObject *object)
{
  BurrowTunnelManager *self = BURROW_TUNNEL_MANAGER (object);

  burrow_tunnel_manager_stop_all (self);
  g_ptr_array_set_size (self->tunnels, 0);
  g_hash_table_remove_all (self->chains);

  G_OBJECT_CLASS (burrow_tunnel_manager_parent_class)->dispose (object);
}

static void
burrow_tunnel_manager_finalize (GObject *object)
{
  BurrowTunnelManager *self = BURROW_TUNNEL_MANAGER (object);

  g_ptr_array_unref (self->tunnels);
  g_hash_table_unref (self->chains);

  G_OBJECT_CLASS (burrow_tunnel_manager_parent_class)->finalize (object);
}

static void
burrow_tunnel_manager_class_init (BurrowTunnelManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = burrow_tunnel_manager_dispose;
  object_class->finalize = burrow_tunnel_manager_finalize;
}

static void
burrow_tunnel_manager_init (BurrowTunnelManager *self)
{
  self->tunnels = g_ptr_array_new_with_free_func (g_object_unref);
  self->chains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify)shared_chain_free);
  self->io_priority = G_PRIORITY_DEFAULT;
}

BurrowTunnelManager *
burrow_tunnel_manager_new (void)
{
  return g_object_new (BURROW_TYPE_TUNNEL_MANAGER, NULL);
}

/**
 * burrow_tunnel_manager_set_io_priority:
 * @priority: a main-loop priority, %G_PRIORITY_DEFAULT unless set
 *
 * The priority of the sources that run for every byte the tunnels move:
 * the SSH sockets of their chains, their listeners and channel pumps. It
 * applies at once to the tunnels there are and to those added later.
 */
void
burrow_tunnel_manager_set_io_priority (BurrowTunnelManager *self,
                                       int                  priority)
{
  GHashTableIter iter;
  SharedChain *shared;

  g_return_if_fail (BURROW_IS_TUNNEL_MANAGER (self));

  self->io_priority = priority;
  g_hash_table_iter_init (&iter, self->chains);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&shared))
    burrow_ssh_chain_set_io_priority (shared->chain, priority);
  for (guint i = 0; i < self->tunnels->len; i++)
    burrow_tunnel_set_io_priority (g_ptr_array_index (self->tunnels, i), priority);
}

int
burrow_tunnel_manager_get_io_priority (BurrowTunnelManager *self)
{
  g_return_val_if_fail (BURROW_IS_TUNNEL_MANAGER (self), G_PRIORITY_DEFAULT);

  return self->io_priority;
}

/**
 * burrow_tunnel_manager_add:
 * @chain: a chain built for the tunnel's profile, not held yet
 *
 * Makes a stopped tunnel to @target_host port @target_port, listening on
 * @local_port, and adds it to the list. It gets the chain of the tunnels
 * that sign in to the same account the same way (burrow_ssh_chain_get_key),
 * or @chain when there is none. Start it as usual; after its settings
 * change, remove it and add a new one.
 *
 * Returns: (transfer none): the tunnel, which the manager holds until
 *   burrow_tunnel_manager_remove()
 */
BurrowTunnel *
burrow_tunnel_manager_add (BurrowTunnelManager *self,
                           BurrowSshChain      *chain,
                           const char          *target_host,
                           guint16              target_port,
                           guint16              local_port)
{
  BurrowTunnel *tunnel;
  SharedChain *shared;

  g_return_val_if_fail (BURROW_IS_TUNNEL_MANAGER (self), NULL);
  g_return_val_if_fail (BURROW_IS_SSH_CHAIN (chain), NULL);

  shared = g_hash_table_lookup (self->chains, burrow_ssh_chain_get_key (chain));
  if (shared == NULL)
    {
      shared = g_new0 (SharedChain, 1);
      shared->chain = g_object_ref (chain);
      burrow_ssh_chain_set_io_priority (chain, self->io_priority);
      g_hash_table_insert (self->chains, g_strdup (burrow_ssh_chain_get_key (chain)), shared);
    }
  shared->users++;

  tunnel = burrow_tunnel_new (shared->chain, target_host, target_port, local_port);
  burrow_tunnel_set_io_priority (tunnel, self->io_priority);
  g_ptr_array_add (self->tunnels, tunnel);
  g_list_model_items_changed (G_LIST_MODEL (self), self->tunnels->len - 1, 0, 1);

  return tunnel;
}

/**
 * burrow_tunnel_manager_remove:
 *
 * Stops @tunnel and removes it from the list.
 */
void
burrow_tunnel_manager_remove (BurrowTunnelManager *self,
                              BurrowTunnel        *tunnel)
{
  guint position;

  g_return_if_fail (BURROW_IS_TUNNEL_MANAGER (self));
  g_return_if_fail (BURROW_IS_TUNNEL (tunnel));

  if (!g_ptr_array_find (self->tunnels, tunnel, &position))
    return;

  burrow_tunnel_stop (tunnel);
  forget_chain (self, tunnel);
  g_ptr_array_remove_index (self->tunnels, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

void
burrow_tunnel_manager_stop_all (BurrowTunnelManager *self)
{
  g_return_if_fail (BURROW_IS_TUNNEL_MANAGER (self));

  for (guint i = 0; i < self->tunnels->len; i++)
    burrow_tunnel_stop (g_ptr_array_index (self->tunnels, i));
}

/**
 * burrow_tunnel_manager_get_n_chains:
 *
 * Returns: how many distinct SSH chains (bastion accounts) the tunnels use
 */
guint
burrow_tunnel_manager_get_n_chains (BurrowTunnelManager *self)
{
  g_return_val_if_fail (BURROW_IS_TUNNEL_MANAGER (self), 0);

  return g_hash_table_size (self->chains);
}

/**
 * burrow_tunnel_manager_dup_chains:
 *
 * Returns: (transfer container) (element-type BurrowSshChain): every
 *   chain the tunnels use, once each
 */
GPtrArray *
burrow_tunnel_manager_dup_chains (BurrowTunnelManager *self)
{
  GPtrArray *chains;
  GHashTableIter iter;
  SharedChain *shared;

  g_return_val_if_fail (BURROW_IS_TUNNEL_MANAGER (self), NULL);

  chains = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_iter_init (&iter, self->chains);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&shared))
    g_ptr_array_add (chains, g_object_ref (shared->chain));

  return chains;
}
