/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The fields GraphQL documents select, as sets of dot paths ("a.b.c"):
 * aliased fields under their alias, arguments and comments skipped, inline
 * fragments ("... on T { }") at their own level; directives are not
 * understood (Tandem's documents have none). Used by
 * test-shopify-schema.c to check the Shopify property schema against the
 * documents the connector sends. */

/* Every selected path of the one operation in `text`, the connector's
 * read fragments (…Fields) spread in (transfer full). */
GHashTable *graphql_document_paths (const char *text);

/* Every field the connector's document `resource` (e.g.
 * "customer-get.graphql") selects under `root` (the record in the answer,
 * e.g. "customer." or "customers.edges.node."), as dot paths from the
 * record; a bulk query's connections ("x.edges.node.y") in their
 * "x.nodes.y" form (transfer full). */
GHashTable *graphql_selected_paths (const char *resource,
                                    const char *root);

G_END_DECLS
