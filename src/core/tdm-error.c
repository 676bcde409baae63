/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Tandem authors
 */
#define G_LOG_DOMAIN "tdm-error"

#include "config.h"

#include "tdm-error.h"

#include <glib/gi18n.h>

G_DEFINE_QUARK (tdm-sync-error-quark, tdm_sync_error)

const char *
tdm_sync_error_to_hint (const GError *error)
{
  if (error == NULL || error->domain != TDM_SYNC_ERROR)
    return NULL;

  switch ((TdmSyncError) error->code)
    {
    case TDM_SYNC_ERROR_FAILED:
      return _("Try again later. If the problem stays, look at the activity log for details.");
    case TDM_SYNC_ERROR_AUTH:
      return _("Check the connection settings: the access token or password may have expired, "
               "or the app is missing a permission. Nothing will be synced until this is fixed.");
    case TDM_SYNC_ERROR_RATE_LIMITED:
      return _("The shop asked Tandem to slow down. The next sync will continue where "
               "this one stopped.");
    case TDM_SYNC_ERROR_SERVER:
      return _("The shop’s server had a problem. The next sync will try again automatically.");
    case TDM_SYNC_ERROR_INVALID_RESPONSE:
      return _("The shop answered with data Tandem does not understand. Check the webshop "
               "profile and the shop’s address in the connection settings.");
    case TDM_SYNC_ERROR_CONFLICT:
      return _("The record was changed while Tandem was writing it. It will be read again "
               "on the next sync.");
    case TDM_SYNC_ERROR_DUPLICATE:
      return _("Another record already uses this value. Tandem links to that record instead; "
               "if that is wrong, change the value in one of the shops.");
    case TDM_SYNC_ERROR_VALIDATION:
      return _("Correct the value shown in the shop where the record was edited. "
               "Tandem tries again after the record has changed.");
    case TDM_SYNC_ERROR_NOT_FOUND:
      return _("The record no longer exists in that shop. It is kept in the other shop and "
               "marked as orphaned.");
    case TDM_SYNC_ERROR_CONFIG:
      return _("Open Preferences and complete the connection settings.");
    case TDM_SYNC_ERROR_INSECURE:
      return _("Use an address that starts with https:// for the webshop.");
    case TDM_SYNC_ERROR_MAPPING:
      return _("Open the property mapping and correct the row named in the message, or "
               "restore the default mapping.");
    case TDM_SYNC_ERROR_PROFILE:
      return _("Correct the webshop profile named in the message, or choose the default profile.");
    case TDM_SYNC_ERROR_STORE:
      return _("Tandem could not use its local database. Check that the disk is not full, "
               "then restart Tandem.");
    case TDM_SYNC_ERROR_CANCELLED_BY_USER:
      return _("This sync would change many records at once. Review the plan and confirm it "
               "to go on.");
    case TDM_SYNC_ERROR_OFFLINE:
      return _("Check the internet connection. Tandem will sync again when it is back.");
    case TDM_SYNC_ERROR_PAYMENT_REQUIRED:
      return _("The Shopify store is frozen or locked. Settle the store’s billing in Shopify; "
               "syncing is paused until then.");
    default:
      return NULL;
    }
}
